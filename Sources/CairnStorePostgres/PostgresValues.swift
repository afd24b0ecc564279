import CairnStoreSQL
import PostgresNIO

/// Converts the store's values to PostgreSQL parameters and result cells back.
enum PostgresValues {
    /// The statement with `$n` placeholders and its bound parameters.
    static func query(_ statement: SQLStatement) throws(SQLStoreError) -> PostgresQuery {
        let (text, count) = PostgresPlaceholders.rewrite(statement.text)
        guard count == statement.arguments.count else {
            throw .database(
                "statement has \(count) placeholders but \(statement.arguments.count) arguments: \(statement.text)")
        }
        return query(text, statement.arguments)
    }

    /// SQL already numbered `$1…$n` with its parameters.
    static func query(_ text: String, _ arguments: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { bind(argument, into: &bindings) }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    /// Appends one parameter: int8, float8, text, bytea or an untyped NULL.
    static func bind(_ value: SQLValue, into bindings: inout PostgresBindings) {
        switch value {
        case .null: bindings.appendNull()
        case .int(let i): bindings.append(i)
        case .double(let d): bindings.append(d)
        case .text(let s): bindings.append(s)
        case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
        }
    }

    /// The column names of a result row.
    static func columns(of row: PostgresRow) -> SQLColumns {
        SQLColumns(row.map(\.columnName))
    }

    /// A result row as the store's values.
    static func row(_ row: PostgresRow, columns: SQLColumns) throws(SQLStoreError) -> SQLRow {
        var values: [SQLValue] = []
        values.reserveCapacity(columns.names.count)
        for cell in row { values.append(try value(of: cell)) }
        return SQLRow(columns: columns, values: values)
    }

    /// One cell by its PostgreSQL type; a type the store never reads is an error naming the column.
    static func value(of cell: PostgresCell) throws(SQLStoreError) -> SQLValue {
        guard let bytes = cell.bytes else { return .null }
        do {
            switch cell.dataType {
            case .int2, .int4, .int8:
                return .int(try cell.decode(Int64.self))
            case .float4, .float8:
                return .double(try cell.decode(Double.self))
            case .numeric:
                let data = PostgresData(type: .numeric, formatCode: cell.format, value: bytes)
                guard let double = data.double else { break }
                return .double(double)
            case .text, .varchar, .bpchar, .name, .json, .jsonb, .uuid:
                return .text(try cell.decode(String.self))
            case .bool:
                return .int(try cell.decode(Bool.self) ? 1 : 0)
            case .bytea:
                return .blob(Array(bytes.readableBytesView))
            default:
                throw SQLStoreError.decoding(
                    "column '\(cell.columnName)' has PostgreSQL type \(cell.dataType), which the store does not read")
            }
        } catch let error as SQLStoreError {
            throw error
        } catch {
            throw .decoding("column '\(cell.columnName)' of type \(cell.dataType): \(String(reflecting: error))")
        }
        throw .decoding("column '\(cell.columnName)' of type \(cell.dataType) holds an unreadable value")
    }
}
