/// The current row of a result, read column by column with typed getters.
///
/// A driver reads straight from its result buffers, so a bulk read (a search page's params and
/// metrics, a long metric history) builds no ``SQLValue`` per value and no array per row. The
/// reader is valid only inside the `forEachRow` call that hands it out.
///
/// ```swift
/// try s.forEachRow("SELECT step, value FROM metrics WHERE run = \(key)") { row in
///     points.append((step: try row.int64(0), value: try row.double(1)))
/// }
/// ```
public protocol SQLRowReader {
    /// The value at `index` as a ``SQLValue`` (the general path, used for messages and rare types).
    func value(_ index: Int) throws(SQLStoreError) -> SQLValue
    /// Whether the value at `index` is NULL.
    func isNull(_ index: Int) throws(SQLStoreError) -> Bool
    /// The integer at `index`; a whole REAL is accepted, anything else fails.
    func int64(_ index: Int) throws(SQLStoreError) -> Int64
    /// The number at `index` (REAL or INTEGER).
    func double(_ index: Int) throws(SQLStoreError) -> Double
    /// The text at `index`.
    func string(_ index: Int) throws(SQLStoreError) -> String
}

extension SQLRowReader {
    /// Reads through ``value(_:)``.
    public func isNull(_ index: Int) throws(SQLStoreError) -> Bool {
        if case .null = try value(index) { return true }
        return false
    }

    /// Decodes ``value(_:)`` as ``Int64/init(sqlValue:)`` does.
    public func int64(_ index: Int) throws(SQLStoreError) -> Int64 { try Int64(sqlValue: value(index)) }

    /// Decodes ``value(_:)`` as ``Double/init(sqlValue:)`` does.
    public func double(_ index: Int) throws(SQLStoreError) -> Double { try Double(sqlValue: value(index)) }

    /// Decodes ``value(_:)`` as ``String/init(sqlValue:)`` does.
    public func string(_ index: Int) throws(SQLStoreError) -> String { try String(sqlValue: value(index)) }

    /// A 0/1 column as a boolean.
    public func bool(_ index: Int) throws(SQLStoreError) -> Bool { try int64(index) != 0 }

    /// The text at `index`, or nil for NULL.
    public func optionalString(_ index: Int) throws(SQLStoreError) -> String? {
        try isNull(index) ? nil : try string(index)
    }

    /// The integer at `index`, or nil for NULL.
    public func optionalInt64(_ index: Int) throws(SQLStoreError) -> Int64? {
        try isNull(index) ? nil : try int64(index)
    }
}

extension SQLRow: SQLRowReader {
    /// The value at `index`.
    public func value(_ index: Int) throws(SQLStoreError) -> SQLValue {
        guard index >= 0, index < values.count else { throw .decoding("no column \(index)") }
        return values[index]
    }
}
