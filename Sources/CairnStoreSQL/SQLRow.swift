/// One result row: values by position or by column name.
public struct SQLRow: Sendable {
    /// The column names, shared by every row of a result.
    public let columns: SQLColumns
    /// The values, in column order.
    public let values: [SQLValue]

    /// Creates a row.
    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at `index`, decoded.
    public func get<T: SQLDecodable>(_ index: Int, as: T.Type = T.self) throws(SQLStoreError) -> T {
        guard index < values.count else { throw .decoding("no column \(index)") }
        return try T(sqlValue: values[index])
    }

    /// The value of the named column, decoded.
    public func get<T: SQLDecodable>(_ name: String, as: T.Type = T.self) throws(SQLStoreError) -> T {
        guard let index = columns.index(of: name) else { throw .decoding("no column '\(name)'") }
        return try T(sqlValue: values[index])
    }
}

/// The column names of a result, looked up by name.
public final class SQLColumns: Sendable {
    /// The names in order.
    public let names: [String]
    private let positions: [String: Int]

    /// Creates the name table (the first column of a repeated name wins).
    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name.lowercased()] == nil {
            positions[name.lowercased()] = i
        }
        self.positions = positions
    }

    /// The position of a column, ignoring case.
    public func index(of name: String) -> Int? { positions[name.lowercased()] }
}
