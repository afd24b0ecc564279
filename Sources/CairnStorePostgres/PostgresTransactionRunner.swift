import CairnStoreSQL
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// Runs one transaction: leases a pooled connection (giving up after a while), then runs the
/// store's synchronous closure between BEGIN and COMMIT on a thread of the pool's own threads.
struct PostgresTransactionRunner: Sendable {
    let client: PostgresClient
    let threads: NIOThreadPool
    let endpoint: String
    let maximumConnections: Int
    let leaseTimeout: Duration
    let logger: Logger

    /// A failed transaction that the server says may succeed when run again.
    struct TransientConflict: Error {
        let error: any Error
    }

    /// Who won between the lease and its deadline; whoever loses does nothing.
    private final class LeaseRace: Sendable {
        enum State { case waiting, leased, timedOut }
        let state = Mutex(State.waiting)

        /// Marks the connection leased; false when the deadline passed first.
        func lease() -> Bool {
            state.withLock { state in
                guard state == .waiting else { return false }
                state = .leased
                return true
            }
        }

        /// Marks the deadline passed; false when the connection was leased first.
        func expire() -> Bool {
            state.withLock { state in
                guard state == .waiting else { return false }
                state = .timedOut
                return true
            }
        }
    }

    private struct LeaseTimeout: Error {}

    /// Runs `body` in a transaction opened by `begin`. A transient conflict comes back as `TransientConflict`.
    func run<T: Sendable>(begin: String, _ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        let race = LeaseRace()
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard race.lease() else { throw LeaseTimeout() }
                        return try await threads.runIfActive {
                            try Self.transaction(
                                on: connection, begin: begin, endpoint: endpoint, logger: logger, body)
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: leaseTimeout)
                    if race.expire() { throw LeaseTimeout() }
                    return nil
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        } catch let conflict as TransientConflict {
            throw conflict
        } catch is LeaseTimeout {
            throw SQLStoreError.database(
                "no connection to PostgreSQL at \(endpoint) within \(leaseTimeout): the server is unreachable "
                    + "or all \(maximumConnections) connections stayed busy")
        } catch {
            throw PostgresErrors.map(error, endpoint: endpoint)
        }
    }

    /// The transaction itself, on a pool thread: BEGIN, the body, COMMIT, or ROLLBACK when anything throws.
    private static func transaction<T>(
        on connection: PostgresConnection, begin: String, endpoint: String, logger: Logger,
        _ body: (any SQLSession) throws -> T
    ) throws -> T {
        let tx = PostgresTransaction(
            connection: connection, dialect: PostgresSQLDatabase.postgresDialect, endpoint: endpoint, logger: logger)
        try tx.execute(raw: begin)
        do {
            let value = try body(tx)
            try tx.execute(raw: "COMMIT")
            return value
        } catch {
            // The first error is the one to report; a failed rollback means the connection is gone.
            _ = try? tx.execute(raw: "ROLLBACK")
            if tx.sawTransientConflict { throw TransientConflict(error: error) }
            throw error
        }
    }
}
