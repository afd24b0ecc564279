import ArgumentParser
import CairnDrift
import Foundation

/// `cairn drift-stream`: concept-drift detection on a stream of numbers.
struct DriftStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift-stream",
        abstract: "Run a streaming drift detector over one number per line and print each detection.",
        discussion: """
            Reads stdin, or FILE if given. Each detection is printed as a JSON line: \
            {"index": 2079, "kind": "drift"} (0-based index of the value). Binary detectors (ddm, eddm, \
            hddm-a, hddm-w) expect 1 for an error and 0 for a correct prediction.

            Parameters (--param key=value) and defaults, as river 0.26.1:
              adwin         delta=0.002 clock=32 max_buckets=5 min_window_length=5 grace_period=10
              page-hinkley  min_instances=30 delta=0.005 threshold=50 alpha=0.9999 mode=both
              kswin         alpha=0.005 window_size=100 stat_size=30 seed=0
              ddm           warm_start=30 warning_threshold=2 drift_threshold=3
              eddm          warm_start=30 alpha=0.95 beta=0.9
              hddm-a        drift_confidence=0.001 warning_confidence=0.005 two_sided=false
              hddm-w        drift_confidence=0.001 warning_confidence=0.005 lambda=0.05 two_sided=false

            Example:
              seq 1 100 | cairn drift-stream --detector page-hinkley --param threshold=20
            """
    )

    @Option(help: "adwin, page-hinkley, kswin, ddm, eddm, hddm-a or hddm-w.")
    var detector: String

    @Option(
        name: .customLong("param"), help: ArgumentHelp("Detector parameter key=value; repeatable.", valueName: "k=v"))
    var params: [String] = []

    @Flag(help: "Also print warnings (detectors with a warning zone).")
    var warnings = false

    @Argument(help: ArgumentHelp("Input file (default: stdin).", valueName: "file"))
    var file: String?

    func validate() throws {
        _ = try DetectorFactory.make(detector, parameters: try parsedParams())
        if let file, !FileManager.default.fileExists(atPath: file) { throw ValidationError("No such file: \(file)") }
    }

    func parsedParams() throws -> [String: String] {
        var out: [String: String] = [:]
        for p in params {
            let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--param \(p): expected key=value.")
            }
            out[parts[0]] = parts[1]
        }
        return out
    }

    func run() throws {
        var d = try DetectorFactory.make(detector, parameters: try parsedParams())
        let binary = DetectorFactory.binary.contains(detector)
        let handle: FileHandle
        if let file {
            guard let h = FileHandle(forReadingAtPath: file) else { throw CLIError("cannot read \(file)") }
            handle = h
        } else {
            handle = FileHandle.standardInput
        }
        var index = 0
        var lineNumber = 0
        var pending = Data()
        var out = ""
        func consume(_ line: Substring) throws {
            lineNumber += 1
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return }
            guard let x = Double(text), x.isFinite else {
                throw CLIError("line \(lineNumber): '\(text.prefix(40))' is not a number")
            }
            if binary && x != 0 && x != 1 {
                throw CLIError("line \(lineNumber): \(detector) expects 0 or 1, got \(text)")
            }
            d.update(x)
            if d.driftDetected {
                out += "{\"index\": \(index), \"kind\": \"drift\"}\n"
            } else if warnings && d.warningDetected {
                out += "{\"index\": \(index), \"kind\": \"warning\"}\n"
            }
            index += 1
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            pending.append(chunk)
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let complete = String(decoding: pending[pending.startIndex..<lastNewline], as: UTF8.self)
            pending = Data(pending[(lastNewline + 1)...])
            for line in complete.split(separator: "\n", omittingEmptySubsequences: false) {
                try consume(line.hasSuffix("\r") ? line.dropLast() : line)
            }
        }
        if !pending.isEmpty { try consume(Substring(String(decoding: pending, as: UTF8.self))) }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// Builds detectors from names and string parameters.
enum DetectorFactory {
    static let binary: Set<String> = ["ddm", "eddm", "hddm-a", "hddm-w"]
    static let names = ["adwin", "page-hinkley", "kswin", "ddm", "eddm", "hddm-a", "hddm-w"]

    static func make(_ name: String, parameters: [String: String]) throws -> any DriftDetector {
        var p = parameters
        func double(_ key: String, _ fallback: Double) throws -> Double {
            guard let raw = p.removeValue(forKey: key) else { return fallback }
            guard let v = Double(raw), v.isFinite else { throw ValidationError("--param \(key)=\(raw): not a number.") }
            return v
        }
        func int(_ key: String, _ fallback: Int) throws -> Int {
            guard let raw = p.removeValue(forKey: key) else { return fallback }
            guard let v = Int(raw) else { throw ValidationError("--param \(key)=\(raw): not an integer.") }
            return v
        }
        func bool(_ key: String) throws -> Bool {
            guard let raw = p.removeValue(forKey: key) else { return false }
            guard let v = Bool(raw) else { throw ValidationError("--param \(key)=\(raw): use true or false.") }
            return v
        }
        let detector: any DriftDetector
        do {
            switch name {
            case "adwin":
                detector = try ADWIN(
                    delta: try double("delta", 0.002), clock: try int("clock", 32),
                    maxBuckets: try int("max_buckets", 5),
                    minWindowLength: try int("min_window_length", 5), gracePeriod: try int("grace_period", 10))
            case "page-hinkley":
                let modeText = p.removeValue(forKey: "mode") ?? "both"
                guard let mode = PageHinkley.Mode(rawValue: modeText) else {
                    throw ValidationError("--param mode=\(modeText): use up, down or both.")
                }
                detector = try PageHinkley(
                    minInstances: try int("min_instances", 30), delta: try double("delta", 0.005),
                    threshold: try double("threshold", 50), alpha: try double("alpha", 1 - 0.0001), mode: mode)
            case "kswin":
                let seed = try int("seed", 0)
                guard seed >= 0 else { throw ValidationError("--param seed must be non-negative.") }
                detector = try KSWIN(
                    alpha: try double("alpha", 0.005), windowSize: try int("window_size", 100),
                    statSize: try int("stat_size", 30), seed: UInt64(seed))
            case "ddm":
                detector = try DDM(
                    warmStart: try int("warm_start", 30), warningThreshold: try double("warning_threshold", 2),
                    driftThreshold: try double("drift_threshold", 3))
            case "eddm":
                detector = try EDDM(
                    warmStart: try int("warm_start", 30), alpha: try double("alpha", 0.95),
                    beta: try double("beta", 0.9))
            case "hddm-a":
                detector = try HDDMA(
                    driftConfidence: try double("drift_confidence", 0.001),
                    warningConfidence: try double("warning_confidence", 0.005), twoSided: try bool("two_sided"))
            case "hddm-w":
                detector = try HDDMW(
                    driftConfidence: try double("drift_confidence", 0.001),
                    warningConfidence: try double("warning_confidence", 0.005), lambda: try double("lambda", 0.05),
                    twoSided: try bool("two_sided"))
            default:
                throw ValidationError("--detector must be one of \(names.joined(separator: ", ")).")
            }
        } catch let e as DriftError {
            throw ValidationError(e.description)
        }
        if let unknown = p.keys.sorted().first {
            throw ValidationError("--param \(unknown): not a parameter of \(name).")
        }
        return detector
    }
}
