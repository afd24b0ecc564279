import CairnStoreSQL
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// PostgreSQL for the relational store: a pool of connections, each transaction on its own thread.
///
/// ```swift
/// let database = try await PostgresSQLDatabase.connect(uri: "postgresql://cairn@db:5432/cairn")
/// try await PostgresSchema(database: database).migrate()
/// let n = try await database.read { s in try s.scalar(Int.self, "SELECT COUNT(*) FROM runs") }
/// try await database.close()
/// ```
///
/// The store's transaction closures are synchronous. Each one gets a leased connection and runs on a
/// thread of a pool sized like the connection pool, where every query blocks on its result; no
/// Swift-concurrency thread ever waits on the network. Writes run in `BEGIN … COMMIT` and are run
/// again (up to five more times, after a short random pause) when the server reports a
/// serialization failure or a deadlock; reads run in a read-only REPEATABLE READ snapshot.
public final class PostgresSQLDatabase: SQLDatabase {
    /// How many times a write is run again after a serialization failure or a deadlock.
    public static let maximumRetries = 5
    /// The default number of pooled connections (and transaction threads).
    public static let defaultMaximumConnections = 16

    /// The PostgreSQL dialect of the shared SQL.
    public static let postgresDialect = SQLDialect(
        lockRows: " FOR UPDATE", likeEscape: " ESCAPE ''", greatest: "GREATEST",
        contains: { "strpos(\($0), ?) > 0" },
        identityReset: { table, column in
            "SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), COALESCE(MAX(\(column)), 0) + 1, false) "
                + "FROM \(table)"
        })

    /// The dialect of the database.
    public var dialect: SQLDialect { Self.postgresDialect }
    /// The URI without its password.
    public var location: String { uri.redacted }
    /// Where and how the pool connects.
    public let uri: PostgresURI

    private let client: PostgresClient
    private let threads: NIOThreadPool
    private let runner: Task<Void, Never>
    private let logger: Logger

    private init(uri: PostgresURI, client: PostgresClient, threads: NIOThreadPool, logger: Logger) {
        self.uri = uri
        self.client = client
        self.threads = threads
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    /// Parses `uri`, checks that the server accepts a login and starts a pool of at most
    /// `maximumConnections` connections. Errors name the server (`host:port`) but never the password.
    public static func connect(
        uri text: String, maximumConnections: Int = defaultMaximumConnections,
        logger: Logger = PostgresSQLDatabase.quietLogger
    ) async throws -> PostgresSQLDatabase {
        let uri = try PostgresURI(parsing: text)
        guard maximumConnections > 0 else {
            throw SQLStoreError.database("the PostgreSQL pool needs at least one connection, not \(maximumConnections)")
        }
        do {
            let probe = try await PostgresConnection.connect(
                configuration: try uri.connectionConfiguration(), id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw error as? SQLStoreError ?? PostgresErrors.connectFailure(error, uri: uri)
        }
        let client = PostgresClient(
            configuration: uri.clientConfiguration(maximumConnections: maximumConnections), backgroundLogger: logger)
        let threads = NIOThreadPool(numberOfThreads: maximumConnections)
        threads.start()
        return PostgresSQLDatabase(uri: uri, client: client, threads: threads, logger: logger)
    }

    /// A logger that reports only errors, so that the driver's routine messages stay out of the output.
    public static var quietLogger: Logger {
        var logger = Logger(label: "cairn.postgres")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` in a read-write transaction, retried on serialization failures and deadlocks.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction(begin: "BEGIN", body)
            } catch let conflict as TransientConflict {
                attempt += 1
                guard attempt <= Self.maximumRetries else { throw conflict.error }
                logger.debug("retrying a transaction after a conflict", metadata: ["attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 2...10) * attempt))
            }
        }
    }

    /// Runs `body` in a read-only snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            return try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        } catch let conflict as TransientConflict {
            throw conflict.error
        }
    }

    /// Stops the pool and the transaction threads.
    public func close() async throws {
        runner.cancel()
        await runner.value
        try await threads.shutdownGracefully()
    }

    /// A failed transaction that the server says may succeed when run again.
    private struct TransientConflict: Error {
        let error: any Error
    }

    /// Leases a connection and runs one transaction on a pool thread.
    private func transaction<T: Sendable>(
        begin: String, _ body: @escaping @Sendable (any SQLSession) throws -> T
    ) async throws -> T {
        let endpoint = uri.endpoint
        let logger = logger
        let threads = threads
        do {
            return try await client.withConnection { connection in
                try await threads.runIfActive {
                    let tx = PostgresTransaction(
                        connection: connection, dialect: Self.postgresDialect, endpoint: endpoint, logger: logger)
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
        } catch let error as TransientConflict {
            throw error
        } catch {
            throw PostgresErrors.map(error, endpoint: endpoint)
        }
    }
}
