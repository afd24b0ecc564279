import CairnDrift

/// A table of typed columns read from CSV or JSON Lines.
public struct DataTable: Sendable {
    /// Column names in file order.
    public var columnNames: [String]
    /// Column values by name.
    public var columns: [String: ColumnData]
    /// Number of data rows.
    public var rowCount: Int

    /// Creates a table.
    public init(columnNames: [String], columns: [String: ColumnData], rowCount: Int) {
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = rowCount
    }
}

/// Errors from reading input files.
public enum InputError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file has no header or no rows.
    case empty(path: String)
    /// A row is malformed.
    case malformed(path: String, line: Int, reason: String)
    /// A requested column does not exist.
    case missingColumn(name: String, path: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .empty(let path): return "\(path) has no data rows"
        case .malformed(let path, let line, let reason): return "\(path):\(line): \(reason)"
        case .missingColumn(let name, let path): return "column '\(name)' not found in \(path)"
        }
    }
}
