import CairnCore
import CairnDrift
import CairnServingCore

/// A prediction's output reduced to what a label is compared with.
enum Outcome: Sendable, Equatable {
    case number(Double)
    case text(String)

    init?(_ value: JSONValue?) {
        switch value {
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .text(s)
        case .bool(let b): self = .text(b ? "true" : "false")
        case .array(let a) where a.count == 1: self.init(a[0])
        case .object(let o) where o.count == 1: self.init(o.values.first)
        default: return nil
        }
    }
}

/// A change in the input→label relation found by the streaming detector on the error stream.
public struct ConceptDriftEvent: Sendable, Equatable {
    /// 0-based index of the labelled prediction in the error stream.
    public var index: Int
    /// When that prediction was made (milliseconds since the epoch).
    public var predictionMillis: Int64
    /// When its label arrived.
    public var labelMillis: Int64
}

/// What one joined label says about its prediction.
struct LabelOutcome {
    /// Whether a class prediction was right; nil for regression.
    var correct: Bool?
    /// |prediction − label| for numeric outcomes.
    var absoluteError: Double?
    /// The detection if the detector fired on this label.
    var drift: ConceptDriftEvent?
}

/// Joins labels to the predictions they belong to, by request id and row, and feeds the per-prediction
/// error (1 wrong / 0 right for classes, the absolute error for numbers) to a streaming detector.
///
/// Predictions wait for their label in a bounded table: past `capacity` the oldest are forgotten, so
/// memory stays flat on an endless log.
struct LabelJoin {
    struct Key: Hashable {
        var requestId: String
        var row: Int
    }

    let capacity: Int
    let binaryDetector: Bool
    var detector: any DriftDetector
    private var pending: [Key: (outcome: Outcome, millis: Int64)] = [:]
    private var order: [Key] = []
    private var head = 0
    /// Labels joined so far (the error stream's length).
    private(set) var joined = 0
    /// Labels with no waiting prediction.
    private(set) var unmatched = 0

    init(detector: any DriftDetector, binaryDetector: Bool, capacity: Int) {
        self.detector = detector
        self.binaryDetector = binaryDetector
        self.capacity = max(1, capacity)
    }

    /// Remembers a prediction that may be labelled later.
    mutating func expect(requestId: String, row: Int, outcome: Outcome?, millis: Int64) {
        guard let outcome else { return }
        let key = Key(requestId: requestId, row: row)
        if pending.updateValue((outcome, millis), forKey: key) == nil {
            order.append(key)
        }
        if pending.count > capacity {
            while head < order.count, pending.count > capacity {
                pending.removeValue(forKey: order[head])
                head += 1
            }
        }
        if head > 4096 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Joins a label; nil when its prediction is unknown (never seen, or forgotten).
    mutating func join(_ label: LabelRecord) -> LabelOutcome? {
        let key = Key(requestId: label.requestId, row: label.row)
        guard let truth = Outcome(label.label), let predicted = pending.removeValue(forKey: key) else {
            unmatched += 1
            return nil
        }
        var out = LabelOutcome()
        let error: Double
        switch (predicted.outcome, truth) {
        case (.number(let p), .number(let y)) where y == y.rounded() && (p == p.rounded() || (0...1).contains(p)):
            // A class index, or a probability for a 0/1 label: right when it rounds to the label.
            let cls = p == p.rounded() ? p : (p >= 0.5 ? 1 : 0)
            out.correct = cls == y
            error = cls == y ? 0 : 1
        case (.number(let p), .number(let y)):
            out.absoluteError = abs(p - y)
            error = abs(p - y)
        case (.text(let p), .text(let y)):
            out.correct = p == y
            error = p == y ? 0 : 1
        case (.number(let p), .text(let y)):
            out.correct = Double(y) == p || DriftRunner.shortText(p) == y
            error = out.correct! ? 0 : 1
        case (.text(let p), .number(let y)):
            out.correct = Double(p) == y
            error = out.correct! ? 0 : 1
        }
        let index = joined
        joined += 1
        if binaryDetector && error != 0 && error != 1 { return out }
        detector.update(error)
        if detector.driftDetected {
            out.drift = ConceptDriftEvent(
                index: index, predictionMillis: predicted.millis, labelMillis: label.timestampMillis)
        }
        return out
    }
}
