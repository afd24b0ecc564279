import CairnStoreSQL
import GRDBSQLite

/// Reads the current row of a stepped SQLite statement column by column, without copying the row.
///
/// Typed getters check the column's storage class, so a value of an unexpected type fails with the
/// same ``SQLStoreError/decoding(_:)`` message as the general path instead of being converted.
struct SQLiteRowReader: SQLRowReader {
    /// The statement, positioned on a row by `sqlite3_step`.
    let statement: OpaquePointer
    /// How many columns the statement returns.
    let columnCount: Int

    private func column(_ index: Int) throws(SQLStoreError) -> Int32 {
        guard index >= 0, index < columnCount else { throw .decoding("no column \(index)") }
        return Int32(index)
    }

    func value(_ index: Int) throws(SQLStoreError) -> SQLValue {
        let i = try column(index)
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, i))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, i)))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(statement, i) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(statement, i))
            return .blob([UInt8](UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    func isNull(_ index: Int) throws(SQLStoreError) -> Bool {
        sqlite3_column_type(statement, try column(index)) == SQLITE_NULL
    }

    func int64(_ index: Int) throws(SQLStoreError) -> Int64 {
        let i = try column(index)
        guard sqlite3_column_type(statement, i) == SQLITE_INTEGER else { return try Int64(sqlValue: value(index)) }
        return sqlite3_column_int64(statement, i)
    }

    func double(_ index: Int) throws(SQLStoreError) -> Double {
        let i = try column(index)
        switch sqlite3_column_type(statement, i) {
        case SQLITE_FLOAT: return sqlite3_column_double(statement, i)
        case SQLITE_INTEGER: return Double(sqlite3_column_int64(statement, i))
        default: return try Double(sqlValue: value(index))
        }
    }

    func string(_ index: Int) throws(SQLStoreError) -> String {
        let i = try column(index)
        guard sqlite3_column_type(statement, i) == SQLITE_TEXT else { return try String(sqlValue: value(index)) }
        return String(cString: sqlite3_column_text(statement, i))
    }
}
