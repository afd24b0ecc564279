import CairnCore
import CairnDrift
import CairnServingCore

/// The raw material of one open window: feature values, outputs, latencies and label outcomes.
struct WindowAccumulator {
    var index: Int
    var bucketStart: Int64?
    var bucketEnd: Int64?
    var firstMillis = Int64.max
    var lastMillis = Int64.min
    var firstPrediction: Int
    var predictions = 0
    var errors = 0
    var requests = 0
    var lastRequestId = ""
    var latencies: [Double] = []
    /// Values per feature index: numbers for numeric features, texts for categorical ones.
    var numeric: [[Double]]
    var categorical: [[String]]
    var cells = 0
    var missing = 0
    var rangeCells = 0
    var outOfRange = 0
    var numericOutputs: [Double] = []
    var textOutputs: [String] = []
    var labels = 0
    var classified = 0
    var correct = 0
    var regressed = 0
    var absoluteErrorSum = 0.0
    var conceptDrift: [ConceptDriftEvent] = []

    init(index: Int, firstPrediction: Int, features: Int, bucket: (Int64, Int64)? = nil) {
        self.index = index
        self.firstPrediction = firstPrediction
        numeric = Array(repeating: [], count: features)
        categorical = Array(repeating: [], count: features)
        bucketStart = bucket?.0
        bucketEnd = bucket?.1
    }

    /// Adds one prediction. `types` are the monitored features' types, `ranges` the reference
    /// [min, max] of numeric ones, both by feature index.
    mutating func add(_ p: ScannedPrediction, types: [ColumnType], ranges: [ClosedRange<Double>?]) {
        predictions += 1
        firstMillis = min(firstMillis, p.timestampMillis)
        lastMillis = max(lastMillis, p.timestampMillis)
        if p.requestId != lastRequestId || p.row == 0 {
            requests += 1
            lastRequestId = p.requestId
            latencies.append(p.latencyMillis)
        }
        if p.status >= 400 { errors += 1 }
        cells += types.count
        for (k, type) in types.enumerated() {
            switch type {
            case .numeric:
                let x = p.numbers[k]
                numeric[k].append(x)
                if x.isFinite {
                    if let range = ranges[k] {
                        rangeCells += 1
                        if x < range.lowerBound || x > range.upperBound { outOfRange += 1 }
                    }
                } else {
                    missing += 1
                }
            case .categorical:
                let s = p.texts[k]
                if s.isEmpty { missing += 1 }
                categorical[k].append(s)
            }
        }
        switch p.output {
        case .number(let x): numericOutputs.append(x)
        case .text(let s): textOutputs.append(s)
        case nil: break
        }
    }

    /// Records a joined label.
    mutating func add(_ outcome: LabelOutcome) {
        labels += 1
        if let ok = outcome.correct {
            classified += 1
            if ok { correct += 1 }
        }
        if let e = outcome.absoluteError {
            regressed += 1
            absoluteErrorSum += e
        }
        if let d = outcome.drift { conceptDrift.append(d) }
    }

    /// Carries labels joined before a time window's first prediction into it.
    mutating func mergeLabels(from other: WindowAccumulator) {
        labels += other.labels
        classified += other.classified
        correct += other.correct
        regressed += other.regressed
        absoluteErrorSum += other.absoluteErrorSum
        conceptDrift += other.conceptDrift
    }

    /// A parsed input value as a number (NaN when missing or not numeric).
    static func number(_ value: JSONValue?) -> Double {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        case .string(let s): Double(s) ?? .nan
        case .bool(let b): b ? 1 : 0
        default: .nan
        }
    }

    /// A parsed input value as category text (empty when missing).
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): d.isFinite ? DriftRunner.shortText(d) : ""
        case .bool(let b): b ? "true" : "false"
        default: ""
        }
    }

    /// Linear-interpolated percentile (numpy's default) of sorted `values`; 0 for none.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let pos = q * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - Double(lo))
    }
}
