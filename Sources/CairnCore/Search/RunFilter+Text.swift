extension RunFilter {
    /// The filter as search-grammar text that parses back to the same clauses: keys in backticks and
    /// string values in single quotes, with quotes and backslashes escaped — so clients never build
    /// filters by pasting values into strings.
    ///
    /// ```swift
    /// RunFilter(clauses: [.init(field: .tag("cairn.sweep.id"), comparator: .equal, value: .string("a1"))]).text
    /// // "tags.`cairn.sweep.id` = 'a1'"
    /// ```
    public var text: String {
        clauses.map(\.text).joined(separator: " AND ")
    }

    /// A filter of tag equalities, in the given order.
    public static func tags(_ pairs: [(String, String)]) -> RunFilter {
        RunFilter(clauses: pairs.map { RunFilterClause(field: .tag($0.0), comparator: .equal, value: .string($0.1)) })
    }
}

extension RunFilterClause {
    /// The clause as search-grammar text.
    public var text: String {
        let field: String =
            switch self.field {
            case .metric(let k): "metrics." + Self.quoted(k, "`")
            case .param(let k): "params." + Self.quoted(k, "`")
            case .tag(let k): "tags." + Self.quoted(k, "`")
            case .attribute(let a): "attributes." + a.rawValue
            case .dataset(let d): "datasets." + d.rawValue
            }
        let value: String =
            switch self.value {
            case .string(let s): " " + Self.quoted(s, "'")
            case .number(let d): " " + (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d))
            case .list(let items): " (" + items.map { Self.quoted($0, "'") }.joined(separator: ", ") + ")"
            case .none: ""
            }
        return field + " " + comparator.rawValue + value
    }

    static func quoted(_ s: String, _ quote: Character) -> String {
        var out = String(quote)
        for c in s {
            if c == quote || c == "\\" { out.append("\\") }
            out.append(c)
        }
        out.append(quote)
        return out
    }
}
