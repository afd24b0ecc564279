import CairnCore
import CairnDrift
import CairnServingCore

/// What to watch and how.
public struct MonitorSettings: Sendable {
    /// How the log is cut into windows.
    public var window: WindowSpec
    /// Only records of this model are watched (all when nil).
    public var model: String?
    /// Only records of this version are watched (all when nil).
    public var version: String?
    /// The training data's profile; when nil the first window stands in for it.
    public var reference: DatasetProfile?
    /// The model's outputs on validation data; prediction drift compares every window with it (when nil,
    /// the first window's outputs stand in).
    public var outputReference: ColumnProfile?
    /// One drift test for every feature instead of the profile defaults (PSI for numbers,
    /// Jensen–Shannon for categories).
    public var test: DriftTestKind?
    /// One threshold for every feature instead of each test's default.
    public var threshold: Double?
    /// The streaming detector run on the per-prediction error stream.
    public var detector: String
    /// Its parameters (`key=value` text, the catalog's defaults for the rest).
    public var detectorParameters: [String: String]
    /// Most predictions kept waiting for a label (the oldest are forgotten past it).
    public var pendingLabelCapacity: Int

    /// The default of `pendingLabelCapacity`: about 20 MiB of waiting predictions.
    public static let defaultPendingLabels = 200_000

    /// Creates settings; the detector defaults to ``DetectorCatalog/defaultErrorDetector``.
    public init(
        window: WindowSpec = .count(1000), model: String? = nil, version: String? = nil,
        reference: DatasetProfile? = nil, test: DriftTestKind? = nil, threshold: Double? = nil,
        detector: String = DetectorCatalog.defaultErrorDetector, detectorParameters: [String: String] = [:],
        pendingLabelCapacity: Int = MonitorSettings.defaultPendingLabels
    ) {
        self.window = window
        self.model = model
        self.version = version
        self.reference = reference
        self.outputReference = nil
        self.test = test
        self.threshold = threshold
        self.detector = detector
        self.detectorParameters = detectorParameters
        self.pendingLabelCapacity = pendingLabelCapacity
    }
}

/// The monitoring workflow over a stream of log entries: cuts windows, measures data drift against the
/// reference, prediction drift against the validation outputs (or the first window), missing and out-of-range shares, request
/// health, live accuracy from joined labels and concept drift on the error stream.
///
/// ```swift
/// var monitor = try PredictionMonitor(settings: MonitorSettings(window: .count(1000), reference: profile))
/// for entry in entries { for report in monitor.add(entry) { print(report.metrics) } }
/// if let last = monitor.finish() { print(last.metrics) }
/// ```
public struct PredictionMonitor {
    /// The settings in force.
    public let settings: MonitorSettings
    /// Prediction records of other models or versions, left out.
    public private(set) var otherRecords = 0
    /// Predictions seen so far.
    public private(set) var predictionCount = 0
    /// Labels whose prediction was not found (never logged, another model's, or forgotten).
    public var unmatchedLabels: Int { join.unmatched }
    /// The reference in use (the first window's profile when none was given).
    public private(set) var reference: DatasetProfile?

    private var features: [(name: String, type: ColumnType)] = []
    private var types: [ColumnType] = []
    private var slots: [String: Int] = [:]
    private var ranges: [ClosedRange<Double>?] = []
    private var outputReference: ColumnProfile?
    private var current: WindowAccumulator?
    private var nextIndex = 0
    private var join: LabelJoin
    private var scratch = ScannedPrediction()
    private var scanner: LogLineScanner?

    /// Validates the detector settings and starts with no window open.
    public init(settings: MonitorSettings) throws(MonitorError) {
        self.settings = settings
        do {
            let detector = try DetectorCatalog.make(settings.detector, parameters: settings.detectorParameters)
            join = LabelJoin(
                detector: detector, binaryDetector: DetectorCatalog.binary.contains(settings.detector),
                capacity: settings.pendingLabelCapacity)
        } catch {
            throw .invalid("--detector \(settings.detector): \(error.description)")
        }
        outputReference = settings.outputReference
        if let reference = settings.reference {
            self.reference = reference
            setFeatures(reference.columnOrder.compactMap { name in reference.columns[name].map { (name, $0.type) } })
        }
    }

    private mutating func setFeatures(_ list: [(name: String, type: ColumnType)]) {
        features = list
        types = list.map(\.type)
        slots = Dictionary(list.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        ranges = list.map { f in
            guard f.type == .numeric, let p = reference?.columns[f.name], let lo = p.min, let hi = p.max else {
                return nil
            }
            return lo...hi
        }
        scanner = LogLineScanner(
            features: list.map { ($0.name, $0.type == .numeric) }, model: settings.model, version: settings.version)
    }

    /// Adds one line of the log; nil when the line is neither a prediction nor a label.
    public mutating func add(line: ArraySlice<UInt8>) -> [WindowReport]? {
        if var s = scanner {
            let result = s.scan(line, into: &scratch)
            scanner = s
            switch result {
            case .prediction: return add(scanned: scratch)
            case .otherModel:
                otherRecords += 1
                return []
            case .other: break
            }
        }
        return LogEntry.parse(line).map { add($0) }
    }

    /// Adds one entry and returns the windows it closed (none, or one; more when a time window jumps).
    public mutating func add(_ entry: LogEntry) -> [WindowReport] {
        switch entry {
        case .label(let label):
            if let outcome = join.join(label) {
                if current == nil {
                    current = WindowAccumulator(
                        index: nextIndex, firstPrediction: predictionCount, features: features.count)
                }
                current!.add(outcome)
            }
            return []
        case .prediction(let record):
            guard settings.model.map({ $0 == record.model }) ?? true,
                settings.version.map({ $0 == record.version }) ?? true
            else {
                otherRecords += 1
                return []
            }
            if features.isEmpty && reference == nil { inferFeatures(record) }
            scratch.reset(features: features.count)
            scratch.timestampMillis = record.timestampMillis
            scratch.requestId = record.requestId
            scratch.requestIdBytes = Array(record.requestId.utf8)
            scratch.row = record.row
            scratch.status = record.status
            scratch.latencyMillis = record.latencyMillis
            scratch.output = Outcome(record.output)
            for (name, value) in record.inputs {
                guard let k = slots[name] else { continue }
                if types[k] == .numeric {
                    scratch.numbers[k] = WindowAccumulator.number(value)
                } else {
                    scratch.texts[k] = WindowAccumulator.text(value)
                }
            }
            return add(scanned: scratch)
        }
    }

    private mutating func add(scanned p: ScannedPrediction) -> [WindowReport] {
        var closed: [WindowReport] = []
        if case .duration(let ms) = settings.window {
            let r = p.timestampMillis % ms
            let start = p.timestampMillis - (r < 0 ? r + ms : r)
            if let open = current, let end = open.bucketEnd, p.timestampMillis >= end {
                closed.append(close())
            }
            if current == nil || current?.bucketStart == nil {
                var fresh = WindowAccumulator(
                    index: current?.index ?? nextIndex, firstPrediction: predictionCount, features: features.count,
                    bucket: (start, start + ms))
                if let open = current { fresh.mergeLabels(from: open) }
                current = fresh
            }
        } else if current == nil {
            current = WindowAccumulator(index: nextIndex, firstPrediction: predictionCount, features: features.count)
        }
        current!.add(p, types: types, ranges: ranges)
        join.expect(
            requestId: p.requestId, row: p.row, outcome: p.status < 400 ? p.output : nil, millis: p.timestampMillis)
        predictionCount += 1
        if case .count(let n) = settings.window, current!.predictions >= n { closed.append(close()) }
        return closed
    }

    /// Without a reference, the first record's scalar inputs are the features (numbers numeric, the rest
    /// categorical).
    private mutating func inferFeatures(_ record: PredictionRecord) {
        var list: [(name: String, type: ColumnType)] = []
        for (name, value) in record.inputs {
            switch value {
            case .int, .double: list.append((name, .numeric))
            case .string, .bool: list.append((name, .categorical))
            default: continue
            }
        }
        setFeatures(list)
    }

    /// Closes the open time window when `nowMillis` is past its end (for following a live log).
    public mutating func closeIfExpired(nowMillis: Int64) -> WindowReport? {
        guard let open = current, let end = open.bucketEnd, nowMillis >= end, open.predictions > 0 else { return nil }
        return close()
    }

    /// Closes the open window at the end of the log. A count window shorter than half its size is left
    /// out (too few predictions for fair drift scores); its predictions are counted in `leftover`.
    public mutating func finish() -> (report: WindowReport?, leftover: Int) {
        guard let open = current, open.predictions > 0 else { return (nil, 0) }
        if case .count(let n) = settings.window, open.predictions * 2 < n {
            return (nil, open.predictions)
        }
        return (close(), 0)
    }

    private mutating func close() -> WindowReport {
        let w = current!
        current = nil
        nextIndex = w.index + 1
        var drift: DatasetDriftResult?
        if let reference {
            drift = Self.drift(w, features: features, reference: reference, settings: settings)
        } else {
            let columns = features.enumerated().map { k, f -> (name: String, data: ColumnData) in
                (f.name, f.type == .numeric ? .numeric(w.numeric[k]) : .categorical(w.categorical[k]))
            }
            reference = DatasetProfile(columns: columns)
            setFeatures(features)
        }
        var predictionDrift: ColumnDriftResult?
        let outputs: ColumnData? =
            !w.numericOutputs.isEmpty
            ? .numeric(w.numericOutputs)
            : !w.textOutputs.isEmpty ? .categorical(w.textOutputs) : nil
        if let outputs {
            if let ref = outputReference {
                predictionDrift = try? Self.columnDrift("prediction", outputs, ref, test: nil, threshold: nil)
            } else {
                switch outputs {
                case .numeric(let v): outputReference = ColumnProfile(numeric: v)
                case .categorical(let v): outputReference = ColumnProfile(categorical: v)
                }
            }
        }
        let latencies = w.latencies.sorted()
        return WindowReport(
            index: w.index, startMillis: w.bucketStart ?? w.firstMillis, endMillis: w.bucketEnd ?? w.lastMillis,
            firstPrediction: w.firstPrediction, predictions: w.predictions, requests: w.requests, errors: w.errors,
            latencyP50: WindowAccumulator.percentile(latencies, 0.5),
            latencyP99: WindowAccumulator.percentile(latencies, 0.99), drift: drift, predictionDrift: predictionDrift,
            predictionMean: w.numericOutputs.isEmpty
                ? nil : w.numericOutputs.reduce(0, +) / Double(w.numericOutputs.count),
            predictionShares: Self.shares(w), missingShare: w.cells > 0 ? Double(w.missing) / Double(w.cells) : 0,
            outOfRangeShare: w.rangeCells > 0 ? Double(w.outOfRange) / Double(w.rangeCells) : 0, labels: w.labels,
            accuracy: w.classified > 0 ? Double(w.correct) / Double(w.classified) : nil,
            meanAbsoluteError: w.regressed > 0 ? w.absoluteErrorSum / Double(w.regressed) : nil,
            conceptDrift: w.conceptDrift)
    }

    static func drift(
        _ w: WindowAccumulator, features: [(name: String, type: ColumnType)], reference: DatasetProfile,
        settings: MonitorSettings
    ) -> DatasetDriftResult {
        var columns: [ColumnDriftResult] = []
        for (k, f) in features.enumerated() {
            guard let profile = reference.columns[f.name] else { continue }
            let data: ColumnData = f.type == .numeric ? .numeric(w.numeric[k]) : .categorical(w.categorical[k])
            // A feature with no values in the window (all missing) has no score rather than failing the window.
            guard let r = try? columnDrift(f.name, data, profile, test: settings.test, threshold: settings.threshold)
            else { continue }
            columns.append(r)
        }
        return DatasetDrift.verdict(columns: columns)
    }

    /// Drift of one column of a window against its reference profile; throws when a side is empty.
    static func columnDrift(
        _ name: String, _ data: ColumnData, _ profile: ColumnProfile, test: DriftTestKind?, threshold: Double?
    ) throws -> ColumnDriftResult {
        switch (profile.type, data) {
        case (.numeric, .numeric(let v)):
            return try ProfileDrift.numeric(
                name: name, reference: profile, current: v, test: test ?? .psi, threshold: threshold)
        case (.categorical, .categorical(let v)):
            return try ProfileDrift.categorical(
                name: name, reference: profile, current: v, test: test ?? .jensenshannon, threshold: threshold)
        case (.categorical, .numeric(let v)):
            return try ProfileDrift.categorical(
                name: name, reference: profile, current: v.map { $0.isFinite ? DriftRunner.shortText($0) : "" },
                test: test ?? .jensenshannon, threshold: threshold)
        case (.numeric, .categorical):
            throw DriftError.invalidParameter("column '\(name)' is numeric in the reference but text in the log")
        }
    }

    /// Output shares by class (text outputs, or integral numbers with at most 20 distinct values).
    static func shares(_ w: WindowAccumulator) -> [(String, Double)] {
        var labels = w.textOutputs
        if labels.isEmpty {
            guard w.numericOutputs.allSatisfy({ $0 == $0.rounded() }) else { return [] }
            labels = w.numericOutputs.map { DriftRunner.shortText($0) }
        }
        guard !labels.isEmpty else { return [] }
        let counts = Binning.counts(labels)
        guard counts.count <= 20 else { return [] }
        return counts.keys.sorted().map { ($0, Double(counts[$0]!) / Double(labels.count)) }
    }
}
