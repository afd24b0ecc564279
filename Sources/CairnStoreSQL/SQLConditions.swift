import CairnCore

/// Filter conditions of the search grammars as SQL with bound values.
///
/// A comparator the column cannot take is an error, not a condition that silently matches nothing.
enum SQLConditions {
    /// A condition on a text column; the column is a constant SQL fragment, values are bound.
    static func string(_ column: String, _ comparator: Comparator, _ value: FilterValue, _ d: SQLDialect) throws
        -> SQLStatement
    {
        let col = column
        switch (comparator, value) {
        case (.equal, .string(let s)): return "\(sql: col) = \(s)"
        case (.notEqual, .string(let s)): return "\(sql: col) != \(s)"
        case (.like, .string(let s)): return "\(sql: col) LIKE \(s)\(sql: d.likeEscape)"
        case (.ilike, .string(let s)): return "lower(\(sql: col)) LIKE lower(\(s))\(sql: d.likeEscape)"
        case (.in, .list(let items)): return "\(sql: col) IN \(items)"
        case (.notIn, .list(let items)): return "\(sql: col) NOT IN \(items)"
        case (.isNull, _): return "\(sql: col) IS NULL"
        case (.isNotNull, _): return "\(sql: col) IS NOT NULL"
        case (.equal, .number(let n)): return "\(sql: col) = \(String(n))"
        case (.notEqual, .number(let n)): return "\(sql: col) != \(String(n))"
        default: throw unsupported(comparator, value)
        }
    }

    /// A condition on a numeric column.
    static func numeric(_ column: String, _ comparator: Comparator, _ value: FilterValue) throws -> SQLStatement {
        guard case .number(let n) = value else { throw unsupported(comparator, value) }
        switch comparator {
        case .equal: return "\(sql: column) = \(n)"
        case .notEqual: return "\(sql: column) != \(n)"
        case .greater: return "\(sql: column) > \(n)"
        case .greaterOrEqual: return "\(sql: column) >= \(n)"
        case .less: return "\(sql: column) < \(n)"
        case .lessOrEqual: return "\(sql: column) <= \(n)"
        default: throw unsupported(comparator, value)
        }
    }

    private static func unsupported(_ comparator: Comparator, _ value: FilterValue) -> MlflowError {
        .invalid("Invalid comparator '\(comparator.rawValue)' for a value like \(value) in the search filter.")
    }
}
