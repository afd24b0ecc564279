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
    /// How long a transaction waits for a pooled connection by default.
    public static let defaultLeaseTimeout = Duration.seconds(30)

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

    private let transactions: PostgresTransactionRunner
    private let poolTask: Task<Void, Never>

    private init(uri: PostgresURI, transactions: PostgresTransactionRunner) {
        self.uri = uri
        self.transactions = transactions
        let client = transactions.client
        self.poolTask = Task { await client.run() }
    }

    /// Parses `uri`, checks that the server accepts a login and starts a pool of at most
    /// `maximumConnections` connections. A transaction that cannot get a connection within
    /// `leaseTimeout` fails. Errors name the server (`host:port`) but never the password.
    public static func connect(
        uri text: String, maximumConnections: Int = defaultMaximumConnections,
        leaseTimeout: Duration = defaultLeaseTimeout, logger: Logger = PostgresSQLDatabase.quietLogger
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
        let transactions = PostgresTransactionRunner(
            client: client, threads: threads, endpoint: uri.endpoint, maximumConnections: maximumConnections,
            leaseTimeout: leaseTimeout, logger: logger)
        return PostgresSQLDatabase(uri: uri, transactions: transactions)
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
                return try await transactions.run(begin: "BEGIN", body)
            } catch let conflict as PostgresTransactionRunner.TransientConflict {
                attempt += 1
                guard attempt <= Self.maximumRetries else { throw conflict.error }
                transactions.logger.debug(
                    "retrying a transaction after a conflict", metadata: ["attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 2...10) * attempt))
            }
        }
    }

    /// Runs `body` in a read-only snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            return try await transactions.run(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        } catch let conflict as PostgresTransactionRunner.TransientConflict {
            throw conflict.error
        }
    }

    /// Stops the pool and the transaction threads.
    public func close() async throws {
        poolTask.cancel()
        await poolTask.value
        try await transactions.threads.shutdownGracefully()
    }
}
