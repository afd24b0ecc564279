import CairnStoreSQL
import Logging
import NIOCore
import PostgresNIO

/// One leased connection inside a transaction, driven synchronously from a thread-pool thread.
///
/// Each call sends its query and blocks the calling thread on the result; it must never run on an
/// event loop or a Swift-concurrency thread.
final class PostgresTransaction: SQLSession {
    /// The most parameters one `insertMany` statement binds (PostgreSQL's limit is 65,535).
    static let maximumBinds = 65_000

    let connection: PostgresConnection
    let logger: Logger
    let dialect: SQLDialect
    let endpoint: String
    /// Set when the server reported a serialization failure or a deadlock: the transaction may be retried.
    private(set) var sawTransientConflict = false

    /// A transaction on a leased connection.
    init(connection: PostgresConnection, dialect: SQLDialect, endpoint: String, logger: Logger) {
        self.connection = connection
        self.dialect = dialect
        self.endpoint = endpoint
        self.logger = logger
    }

    /// Runs a statement and returns the affected row count (0 when the command reports none).
    @discardableResult func execute(_ statement: SQLStatement) throws -> Int {
        try run(try PostgresValues.query(statement))
    }

    /// Streams the rows to `body` on this thread.
    func forEach(_ statement: SQLStatement, _ body: (SQLRow) throws -> Void) throws {
        let query = try PostgresValues.query(statement)
        let channel = PostgresRowChannel(eventLoop: connection.eventLoop)
        let done = connection.query(query, logger: logger) { row in try channel.push(row) }
        done.whenComplete { result in channel.finish(result.map { _ in () }) }
        while true {
            switch channel.next() {
            case .rows(let rows):
                do {
                    for row in rows { try body(row) }
                } catch {
                    channel.abandon()
                    _ = try? done.wait()
                    throw error
                }
            case .wait(let future):
                try wait(future)
            case .done(let result):
                do {
                    try result.get()
                } catch {
                    throw map(error)
                }
                return
            }
        }
    }

    /// Inserts rows with multi-row `VALUES` lists, as many rows per statement as the bind limit allows.
    func insertMany(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws {
        guard !rows.isEmpty else { return }
        guard !columns.isEmpty else { throw SQLStoreError.database("insertMany into \(table) names no columns") }
        if let bad = rows.firstIndex(where: { $0.count != columns.count }) {
            throw SQLStoreError.database(
                "insertMany into \(table): row \(bad) has \(rows[bad].count) values for \(columns.count) columns")
        }
        let rowsPerStatement = max(1, Self.maximumBinds / columns.count)
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            var text = head
            text.reserveCapacity(head.utf8.count + chunk.count * columns.count * 8 + suffix.utf8.count + 1)
            var bindings = PostgresBindings(capacity: chunk.count * columns.count)
            var number = 0
            for (i, row) in chunk.enumerated() {
                text += i == 0 ? "(" : ", ("
                for (j, value) in row.enumerated() {
                    number += 1
                    text += j == 0 ? "$\(number)" : ", $\(number)"
                    PostgresValues.bind(value, into: &bindings)
                }
                text += ")"
            }
            if !suffix.isEmpty { text += " " + suffix }
            try run(PostgresQuery(unsafeSQL: text, binds: bindings))
            start += chunk.count
        }
    }

    /// Runs constant SQL with no parameters (transaction control, DDL).
    @discardableResult func execute(raw sql: String) throws -> Int {
        try run(PostgresQuery(unsafeSQL: sql))
    }

    /// Sends a query, discards its rows and returns the affected row count.
    @discardableResult private func run(_ query: PostgresQuery) throws -> Int {
        let metadata = try wait(connection.query(query, logger: logger) { _ in })
        return metadata.rows ?? 0
    }

    /// Blocks this thread on a future, turning driver errors into store errors.
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        do {
            return try future.wait()
        } catch {
            throw map(error)
        }
    }

    private func map(_ error: any Error) -> any Error {
        let mapped = PostgresErrors.map(error, endpoint: endpoint)
        if PostgresErrors.isTransientConflict(error) { sawTransientConflict = true }
        return mapped
    }
}
