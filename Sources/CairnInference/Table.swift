/// A table of model inputs: named columns of one element type each, all the same length.
///
/// The edge (the serving runtime) builds it from a request's frame using the model's signature;
/// missing numeric values are NaN.
///
/// ```swift
/// let table = try Table(columns: [("x0", .double([1, .nan])), ("x1", .double([2, 3]))])
/// let out = try model.predict(table)
/// ```
public struct Table: Sendable, Equatable {
    /// Column names in order.
    public var names: [String]
    /// Column values, aligned with ``names``.
    public var columns: [Column]
    /// Number of rows.
    public var rowCount: Int

    /// Creates a table; every column must have the same length.
    public init(columns: [(String, Column)]) throws(InferenceError) {
        names = columns.map(\.0)
        self.columns = columns.map(\.1)
        rowCount = self.columns.first?.count ?? 0
        for (name, column) in columns where column.count != rowCount {
            throw .badInput("column '\(name)' has \(column.count) values, expected \(rowCount)")
        }
    }

    /// One typed column.
    public enum Column: Sendable, Equatable {
        case double([Double])
        case int64([Int64])
        case string([String])

        /// Number of values.
        public var count: Int {
            switch self {
            case .double(let v): v.count
            case .int64(let v): v.count
            case .string(let v): v.count
            }
        }
    }

    /// The column named `name`, if present.
    public func column(named name: String) -> Column? {
        names.firstIndex(of: name).map { columns[$0] }
    }
}
