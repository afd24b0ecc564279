import CairnStoreSQL
import NIOCore
import PostgresNIO
import Synchronization

/// Hands result rows from the connection's event loop to the thread that runs the store's code.
///
/// The event loop decodes each row and appends it; the consuming thread takes everything buffered
/// so far, calls the store's closure on its own thread (so that closure may run further queries),
/// and sleeps on a promise when the buffer is empty. When the consumer gives up, the producer
/// cancels the query instead of buffering the rest.
final class PostgresRowChannel: Sendable {
    private struct State {
        var columns: SQLColumns?
        var rows: [SQLRow] = []
        var finished: Result<Void, any Error>?
        var waiter: EventLoopPromise<Void>?
        var abandoned = false
    }

    /// What the consumer does next.
    enum Step {
        case rows([SQLRow])
        case wait(EventLoopFuture<Void>)
        case done(Result<Void, any Error>)
    }

    private let state = Mutex(State())
    private let eventLoop: any EventLoop

    /// A channel whose waits complete on `eventLoop`.
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Called on the event loop for each row; throws to cancel the query once the consumer is gone.
    func push(_ row: PostgresRow) throws {
        let waiter: EventLoopPromise<Void>? = try state.withLock { state throws(SQLStoreError) in
            if state.abandoned { throw SQLStoreError.database("result abandoned") }
            let columns = state.columns ?? PostgresValues.columns(of: row)
            state.columns = columns
            state.rows.append(try PostgresValues.row(row, columns: columns))
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.succeed()
    }

    /// Called once when the query ends, successfully or not.
    func finish(_ result: Result<Void, any Error>) {
        let waiter = state.withLock { state in
            state.finished = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.succeed()
    }

    /// The consumer's next step: buffered rows, a future to wait on, or the end.
    func next() -> Step {
        state.withLock { state in
            if !state.rows.isEmpty {
                defer { state.rows = [] }
                return .rows(state.rows)
            }
            if let finished = state.finished { return .done(finished) }
            let promise = eventLoop.makePromise(of: Void.self)
            state.waiter = promise
            return .wait(promise.futureResult)
        }
    }

    /// Marks the consumer gone: buffered rows are dropped and the query is cancelled at the next row.
    func abandon() {
        state.withLock { state in
            state.abandoned = true
            state.rows = []
        }
    }
}
