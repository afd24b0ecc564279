import CairnCore

/// A value bound into, or read out of, a SQL statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that can be bound as a statement parameter.
public protocol SQLBindable: Sendable {
    /// The value as bound.
    var sqlValue: SQLValue { get }
}

/// A Swift value that can be read from a result column.
public protocol SQLDecodable {
    /// Decodes the value, failing loudly on a type the column should never hold.
    init(sqlValue: SQLValue) throws(SQLStoreError)
}

extension SQLValue: SQLBindable, SQLDecodable {
    /// The value itself.
    public var sqlValue: SQLValue { self }
    /// The value itself.
    public init(sqlValue: SQLValue) { self = sqlValue }
}

extension Int64: SQLBindable, SQLDecodable {
    /// An integer parameter.
    public var sqlValue: SQLValue { .int(self) }
    /// Reads an integer column.
    public init(sqlValue: SQLValue) throws(SQLStoreError) {
        switch sqlValue {
        case .int(let i): self = i
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: self = Int64(d)
        default: throw .decoding("expected an integer, found \(sqlValue)")
        }
    }
}

extension Int: SQLBindable, SQLDecodable {
    /// An integer parameter.
    public var sqlValue: SQLValue { .int(Int64(self)) }
    /// Reads an integer column.
    public init(sqlValue: SQLValue) throws(SQLStoreError) { self = Int(try Int64(sqlValue: sqlValue)) }
}

extension Bool: SQLBindable, SQLDecodable {
    /// Booleans are stored as 0 and 1.
    public var sqlValue: SQLValue { .int(self ? 1 : 0) }
    /// Reads a 0/1 column.
    public init(sqlValue: SQLValue) throws(SQLStoreError) { self = try Int64(sqlValue: sqlValue) != 0 }
}

extension Double: SQLBindable, SQLDecodable {
    /// A floating-point parameter.
    public var sqlValue: SQLValue { .double(self) }
    /// Reads a numeric column.
    public init(sqlValue: SQLValue) throws(SQLStoreError) {
        switch sqlValue {
        case .double(let d): self = d
        case .int(let i): self = Double(i)
        default: throw .decoding("expected a number, found \(sqlValue)")
        }
    }
}

extension String: SQLBindable, SQLDecodable {
    /// A text parameter.
    public var sqlValue: SQLValue { .text(self) }
    /// Reads a text column.
    public init(sqlValue: SQLValue) throws(SQLStoreError) {
        guard case .text(let s) = sqlValue else { throw .decoding("expected text, found \(sqlValue)") }
        self = s
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// NULL for nil.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    /// nil for NULL.
    public init(sqlValue: SQLValue) throws(SQLStoreError) {
        if case .null = sqlValue { self = nil } else { self = try Wrapped(sqlValue: sqlValue) }
    }
}

/// Failures of the SQL layer that the store turns into MLflow errors.
public enum SQLStoreError: Error, Sendable, CustomStringConvertible {
    /// A UNIQUE or PRIMARY KEY constraint refused the row (another writer got there first).
    case uniqueViolation(String)
    /// A column held a value of an unexpected type.
    case decoding(String)
    /// Any other database failure, with the driver's message.
    case database(String)

    /// The message.
    public var description: String {
        switch self {
        case .uniqueViolation(let m): "unique constraint violated: \(m)"
        case .decoding(let m): "unexpected column value: \(m)"
        case .database(let m): m
        }
    }
}
