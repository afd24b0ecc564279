import CairnCore
import GRDB

extension SQLiteTrackingStore {
    /// A condition on a text column; the column is a constant SQL fragment, values are bound.
    static func stringCondition(_ column: String, _ comparator: Comparator, _ value: FilterValue) -> SQL {
        let col = SQL(sql: column)
        switch (comparator, value) {
        case (.equal, .string(let s)): return "\(col) = \(s)"
        case (.notEqual, .string(let s)): return "\(col) != \(s)"
        case (.like, .string(let s)): return "\(col) LIKE \(s)"
        case (.ilike, .string(let s)): return "lower(\(col)) LIKE lower(\(s))"
        case (.in, .list(let items)): return "\(col) IN \(items)"
        case (.notIn, .list(let items)): return "\(col) NOT IN \(items)"
        case (.isNull, _): return "\(col) IS NULL"
        case (.isNotNull, _): return "\(col) IS NOT NULL"
        case (.equal, .number(let d)): return "\(col) = \(String(d))"
        case (.notEqual, .number(let d)): return "\(col) != \(String(d))"
        default: return "0"
        }
    }

    /// A condition on a numeric column.
    static func numericCondition(_ column: String, _ comparator: Comparator, _ value: FilterValue) -> SQL {
        let col = SQL(sql: column)
        guard case .number(let d) = value else { return "0" }
        switch comparator {
        case .equal: return "\(col) = \(d)"
        case .notEqual: return "\(col) != \(d)"
        case .greater: return "\(col) > \(d)"
        case .greaterOrEqual: return "\(col) >= \(d)"
        case .less: return "\(col) < \(d)"
        case .lessOrEqual: return "\(col) <= \(d)"
        default: return "0"
        }
    }
}

extension [SQL] {
    /// Joins SQL fragments with a separator.
    func joined(separator: String) -> SQL {
        var out: SQL = ""
        for (i, part) in enumerated() {
            if i > 0 { out += SQL(sql: separator) }
            out += part
        }
        return out
    }
}
