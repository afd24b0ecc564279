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
/// Predictions wait for their label per request (one table entry for all the rows of a request, filled
/// without hashing while its rows arrive in a row), and past `capacity` waiting rows the oldest requests
/// are forgotten, so memory stays flat on an endless log.
struct LabelJoin {
    /// The rows of one request still waiting for a label.
    struct Waiting {
        var millis: Int64
        var outcomes: [Outcome?] = []
        var open = 0
    }

    let capacity: Int
    let binaryDetector: Bool
    var detector: any DriftDetector
    private var pending: [String: Waiting] = [:]
    private var order: [String] = []
    private var head = 0
    private var waitingRows = 0
    /// The request whose rows are arriving now, not yet in `pending`.
    private var batchId: String?
    private var batch = Waiting(millis: 0)
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
        if requestId != batchId {
            flush()
            batchId = requestId
            batch = Waiting(millis: millis)
        }
        guard let outcome, row >= 0, row < 10_000_000 else { return }
        if batch.outcomes.count <= row {
            batch.outcomes.append(contentsOf: repeatElement(nil, count: row + 1 - batch.outcomes.count))
        }
        if batch.outcomes[row] == nil {
            batch.open += 1
            waitingRows += 1
        }
        batch.outcomes[row] = outcome
    }

    /// Moves the arriving request into the table and forgets the oldest requests past `capacity` rows.
    private mutating func flush() {
        guard let id = batchId else { return }
        batchId = nil
        if batch.open > 0 {
            if var earlier = pending[id] {
                // The same request id again: keep both sets of rows.
                for (row, outcome) in batch.outcomes.enumerated() where outcome != nil {
                    if earlier.outcomes.count <= row {
                        earlier.outcomes.append(contentsOf: repeatElement(nil, count: row + 1 - earlier.outcomes.count))
                    }
                    if earlier.outcomes[row] == nil { earlier.open += 1 } else { waitingRows -= 1 }
                    earlier.outcomes[row] = outcome
                }
                pending[id] = earlier
            } else {
                pending[id] = batch
                order.append(id)
            }
        }
        batch = Waiting(millis: 0)
        while waitingRows > capacity, head < order.count {
            if let gone = pending.removeValue(forKey: order[head]) { waitingRows -= gone.open }
            head += 1
        }
        if head > 4096 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    /// Takes the waiting prediction of a request's row, if any.
    private mutating func take(_ requestId: String, _ row: Int) -> (outcome: Outcome, millis: Int64)? {
        if requestId == batchId {
            guard row >= 0, row < batch.outcomes.count, let outcome = batch.outcomes[row] else { return nil }
            batch.outcomes[row] = nil
            batch.open -= 1
            waitingRows -= 1
            return (outcome, batch.millis)
        }
        guard var waiting = pending[requestId], row >= 0, row < waiting.outcomes.count,
            let outcome = waiting.outcomes[row]
        else { return nil }
        waiting.outcomes[row] = nil
        waiting.open -= 1
        waitingRows -= 1
        if waiting.open == 0 {
            pending.removeValue(forKey: requestId)
        } else {
            pending[requestId] = waiting
        }
        return (outcome, waiting.millis)
    }

    /// Joins a label; nil when its prediction is unknown (never seen, or forgotten).
    mutating func join(_ label: LabelRecord) -> LabelOutcome? {
        guard let truth = Outcome(label.label), let predicted = take(label.requestId, label.row) else {
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
