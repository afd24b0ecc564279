import CairnServingCore
import Synchronization

/// A request waiting for a worker; answered exactly once, by a worker or by its timeout.
final class PendingPrediction: Sendable {
    let request: ScoringRequest
    let rows: Int
    let key: BatchKey?
    /// When the request times out.
    let deadline: ContinuousClock.Instant
    private let continuation: Mutex<CheckedContinuation<Predictions, any Error>?>

    init(
        request: ScoringRequest, deadline: ContinuousClock.Instant,
        continuation: CheckedContinuation<Predictions, any Error>
    ) {
        self.request = request
        self.deadline = deadline
        self.rows = request.input.rowCount
        self.key = request.batchKey
        self.continuation = Mutex(continuation)
    }

    /// Answers the request unless it was answered already; returns whether this call answered it.
    @discardableResult
    func resume(_ result: Result<Predictions, any Error>) -> Bool {
        guard
            let c = continuation.withLock({ c -> CheckedContinuation<Predictions, any Error>? in
                defer { c = nil }
                return c
            })
        else { return false }
        c.resume(with: result)
        return true
    }

    /// Whether it was answered (e.g. timed out while queued).
    var isAnswered: Bool { continuation.withLock { $0 == nil } }
}
