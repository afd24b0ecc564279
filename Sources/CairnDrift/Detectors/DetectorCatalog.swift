/// Every streaming detector by name, built from `key=value` text parameters. The defaults are the
/// detectors' own (read from a detector built with no arguments), so they are stated once, next to
/// the type they configure.
///
/// ```swift
/// var detector = try DetectorCatalog.make("page-hinkley", parameters: ["threshold": "20"])
/// if let d = detector.observe(42, index: 0) { print(d) }
/// DetectorCatalog.defaults("adwin")   // [("delta", "0.002"), ("clock", "32"), …]
/// ```
public enum DetectorCatalog {
    /// Detector names, in the order help lists them.
    public static let names = ["adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w"]

    /// The detector the monitor runs on a model's error stream unless told otherwise: ADWIN, which raised
    /// no false alarm before the change in river's seeded Bernoulli benchmark (see the drift reference).
    public static let defaultErrorDetector = "adwin"

    /// Detectors that expect 1 for an error and 0 for a correct prediction.
    public static let binary: Set<String> = ["ddm", "eddm", "hddm-a", "hddm-w"]

    /// Builds a detector; unknown names, unknown keys and bad values are errors.
    public static func make(_ name: String, parameters: [String: String]) throws(DriftError) -> any DriftDetector {
        var reader = ParameterReader(values: parameters)
        let detector = try build(name, &reader)
        if let unknown = reader.unused.first {
            throw .invalidParameter("'\(unknown)' is not a parameter of \(name)")
        }
        return detector
    }

    /// The parameters of a detector with their default values, as text.
    public static func defaults(_ name: String) -> [(key: String, value: String)] {
        var reader = ParameterReader(values: [:])
        _ = try? build(name, &reader)
        return reader.seen
    }

    static func build(_ name: String, _ r: inout ParameterReader) throws(DriftError) -> any DriftDetector {
        do {
            switch name {
            case "adwin":
                let d = try ADWIN()
                return try ADWIN(
                    delta: r.double("delta", d.delta), clock: r.int("clock", d.clock),
                    maxBuckets: r.int("max_buckets", d.maxBuckets),
                    minWindowLength: r.int("min_window_length", d.minWindowLength),
                    gracePeriod: r.int("grace_period", d.gracePeriod))
            case "page-hinkley":
                let d = try PageHinkley()
                return try PageHinkley(
                    minInstances: r.int("min_instances", d.minInstances), delta: r.double("delta", d.delta),
                    threshold: r.double("threshold", d.threshold), alpha: r.double("alpha", d.alpha),
                    mode: r.choice("mode", d.mode))
            case "kswin":
                let d = try KSWIN()
                return try KSWIN(
                    alpha: r.double("alpha", d.alpha), windowSize: r.int("window_size", d.windowSize),
                    statSize: r.int("stat_size", d.statSize), seed: r.uint64("seed", d.seed))
            case "ddm":
                let d = try DDM()
                return try DDM(
                    warmStart: r.int("warm_start", d.warmStart),
                    warningThreshold: r.double("warning_threshold", d.warningThreshold),
                    driftThreshold: r.double("drift_threshold", d.driftThreshold))
            case "eddm":
                let d = try EDDM()
                return try EDDM(
                    warmStart: r.int("warm_start", d.warmStart), alpha: r.double("alpha", d.alpha),
                    beta: r.double("beta", d.beta))
            case "hddm-a":
                let d = try HDDMA()
                return try HDDMA(
                    driftConfidence: r.double("drift_confidence", d.driftConfidence),
                    warningConfidence: r.double("warning_confidence", d.warningConfidence),
                    twoSided: r.bool("two_sided", d.twoSided))
            case "hddm-w":
                let d = try HDDMW()
                return try HDDMW(
                    driftConfidence: r.double("drift_confidence", d.driftConfidence),
                    warningConfidence: r.double("warning_confidence", d.warningConfidence),
                    lambda: r.double("lambda", d.lambda), twoSided: r.bool("two_sided", d.twoSided))
            default:
                throw DriftError.invalidParameter(
                    "unknown detector '\(name)'; use one of \(names.joined(separator: ", "))")
            }
        } catch let error as DriftError {
            throw error
        } catch {
            throw .invalidParameter("\(error)")
        }
    }
}

/// Reads text parameters, remembering which were asked for and their defaults.
struct ParameterReader {
    var values: [String: String]
    var seen: [(key: String, value: String)] = []
    private var used: Set<String> = []

    init(values: [String: String]) { self.values = values }

    var unused: [String] { values.keys.filter { !used.contains($0) }.sorted() }

    mutating func raw(_ key: String, _ fallback: String) -> String? {
        seen.append((key, fallback))
        used.insert(key)
        return values[key]
    }

    mutating func double(_ key: String, _ fallback: Double) throws(DriftError) -> Double {
        let shown = fallback == fallback.rounded() && abs(fallback) < 1e15 ? String(Int64(fallback)) : String(fallback)
        guard let text = raw(key, shown) else { return fallback }
        guard let v = Double(text), v.isFinite else { throw .invalidParameter("\(key)=\(text) is not a number") }
        return v
    }

    mutating func int(_ key: String, _ fallback: Int) throws(DriftError) -> Int {
        guard let text = raw(key, String(fallback)) else { return fallback }
        guard let v = Int(text) else { throw .invalidParameter("\(key)=\(text) is not an integer") }
        return v
    }

    mutating func uint64(_ key: String, _ fallback: UInt64) throws(DriftError) -> UInt64 {
        guard let text = raw(key, String(fallback)) else { return fallback }
        guard let v = UInt64(text) else { throw .invalidParameter("\(key)=\(text) is not a non-negative integer") }
        return v
    }

    mutating func bool(_ key: String, _ fallback: Bool) throws(DriftError) -> Bool {
        guard let text = raw(key, String(fallback)) else { return fallback }
        guard let v = Bool(text) else { throw .invalidParameter("\(key)=\(text): use true or false") }
        return v
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ fallback: T) throws(DriftError) -> T
    where T.RawValue == String {
        guard let text = raw(key, fallback.rawValue) else { return fallback }
        guard let v = T(rawValue: text) else {
            throw .invalidParameter("\(key)=\(text): use " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }
}

extension DriftDetector {
    /// Feeds one value and returns what it signalled at `index`, if anything.
    public mutating func observe(_ x: Double, index: Int, includeWarnings: Bool = false) -> Detection? {
        update(x)
        if driftDetected { return Detection(index: index, kind: .drift) }
        if includeWarnings && warningDetected { return Detection(index: index, kind: .warning) }
        return nil
    }
}
