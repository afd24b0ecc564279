/// What differs between the SQL dialects the store speaks. Everything else is one shared text.
public struct SQLDialect: Sendable {
    /// Appended to a SELECT that reads a row the transaction will change (`FOR UPDATE`), so that
    /// concurrent writers on other servers queue instead of racing; empty where writers are serial.
    public var lockRows: String
    /// Appended after a LIKE pattern so that backslash is an ordinary character.
    public var likeEscape: String
    /// The function giving the larger of two values (`MAX` in SQLite, `GREATEST` in PostgreSQL).
    public var greatest: String
    /// A case-sensitive "contains" test of a column and a bound needle.
    public var contains: @Sendable (_ column: String) -> String
    /// The statement that moves a generated-id counter past the largest id after rows were inserted
    /// with explicit ids (copies and imports); nil where the database needs none.
    public var identityReset: @Sendable (_ table: String, _ column: String) -> String?

    /// Creates a dialect.
    public init(
        lockRows: String, likeEscape: String, greatest: String, contains: @escaping @Sendable (String) -> String,
        identityReset: @escaping @Sendable (String, String) -> String? = { _, _ in nil }
    ) {
        self.lockRows = lockRows
        self.likeEscape = likeEscape
        self.greatest = greatest
        self.contains = contains
        self.identityReset = identityReset
    }
}

extension SQLDialect {
    /// The condition "`column` contains `needle`", case-sensitive, with the needle bound.
    public func containment(_ column: String, _ needle: String) -> SQLStatement {
        SQLStatement(sql: contains(column), arguments: [.text(needle)])
    }
}

/// One connection inside a transaction. Every call runs on the transaction's thread.
public protocol SQLSession {
    /// The dialect of the database.
    var dialect: SQLDialect { get }
    /// Runs a statement and returns how many rows it changed.
    @discardableResult func execute(_ statement: SQLStatement) throws -> Int
    /// Calls `body` for each result row, in order, without keeping them all.
    func forEach(_ statement: SQLStatement, _ body: (SQLRow) throws -> Void) throws
    /// Calls `body` for each result row with a reader positioned on it, for bulk reads; the reader
    /// is valid only during the call. Drivers read their result buffers directly; the default
    /// goes through ``forEach(_:_:)``.
    func forEachRow(_ statement: SQLStatement, _ body: (any SQLRowReader) throws -> Void) throws
    /// Inserts many rows of the same columns; `suffix` is an `ON CONFLICT …` clause or empty.
    func insertMany(into table: String, columns: [String], rows: [[SQLValue]], suffix: String) throws
}

extension SQLSession {
    /// Reads each row through ``forEach(_:_:)`` (drivers override this with a direct reader).
    public func forEachRow(_ statement: SQLStatement, _ body: (any SQLRowReader) throws -> Void) throws {
        try forEach(statement) { row in try body(row) }
    }

    /// Every result row.
    public func fetchAll(_ statement: SQLStatement) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEach(statement) { rows.append($0) }
        return rows
    }

    /// The first result row, if any.
    public func fetchOne(_ statement: SQLStatement) throws -> SQLRow? {
        var first: SQLRow?
        try forEach(statement) { row in if first == nil { first = row } }
        return first
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    public func scalar<T: SQLDecodable>(_ type: T.Type, _ statement: SQLStatement) throws -> T? {
        guard let row = try fetchOne(statement) else { return nil }
        return try Optional<T>(sqlValue: row.values.first ?? .null)
    }

    /// The first column of every row.
    public func column<T: SQLDecodable>(_ type: T.Type, _ statement: SQLStatement) throws -> [T] {
        var out: [T] = []
        try forEach(statement) { out.append(try T(sqlValue: $0.values.first ?? .null)) }
        return out
    }

    /// Whether the query returns at least one row.
    public func exists(_ statement: SQLStatement) throws -> Bool { try fetchOne(statement) != nil }
}

/// A database the store runs transactions on.
///
/// ```swift
/// let n = try await database.read { s in try s.scalar(Int.self, "SELECT COUNT(*) FROM runs") }
/// try await database.write { s in try s.execute("DELETE FROM tags WHERE run = \(key)") }
/// ```
public protocol SQLDatabase: Sendable {
    /// The dialect of the database.
    var dialect: SQLDialect { get }
    /// Runs `body` in a read-write transaction, committed when it returns and rolled back when it
    /// throws. Drivers retry the whole body when the database reports a transient conflict.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// Runs `body` against a consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T
    /// The schema migrations not yet applied, oldest first.
    func pendingMigrations() async throws -> [String]
    /// Applies the pending schema migrations (safe when several servers start together).
    func migrate() async throws
    /// Where the data lives, for messages (a file path or a URI without its password).
    var location: String { get }
    /// Closes the connections.
    func close() async throws
}
