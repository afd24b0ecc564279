/// A comparison in a search filter.
public enum Comparator: String, Sendable, Equatable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case like = "LIKE"
    case ilike = "ILIKE"
    case `in` = "IN"
    case notIn = "NOT IN"
    case isNull = "IS NULL"
    case isNotNull = "IS NOT NULL"

    /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
    public static let numeric: Set<Comparator> = [.equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual]
    /// `=`, `!=`, `LIKE`, `ILIKE`.
    public static let string: Set<Comparator> = [.equal, .notEqual, .like, .ilike]
}

/// The right-hand side of a filter clause.
public enum FilterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case list([String])
    case none
}

/// One parsed `<entity>.<key> <comparator> <value>` clause, before domain checks.
public struct RawFilterClause: Sendable, Equatable {
    /// The entity prefix as written (`metrics`, `params`, ...), or nil for a bare key.
    public var prefix: String?
    /// The key, unquoted.
    public var key: String
    /// Whether the key was quoted (quoted bare keys still name attributes).
    public var comparator: Comparator
    /// The value.
    public var value: FilterValue
    /// Whether the value was written as a quoted string (vs. a bare number/word).
    public var valueWasQuoted: Bool
    /// The bare text of an unquoted, non-numeric value, kept for error messages.
    public var unquotedText: String?
}

/// Parses the shared `clause AND clause ...` filter syntax into raw clauses.
///
/// Each domain (runs, experiments, logged models, registry) then checks entities, keys,
/// comparators and value types against its own rules.
public enum FilterParser {
    /// Parses `text` into clauses joined by AND. An empty or blank filter yields no clauses.
    public static func parse(_ text: String) throws(MlflowError) -> [RawFilterClause] {
        let tokens = try FilterLexer.tokenize(text)
        var clauses: [RawFilterClause] = []
        var i = 0
        func fail(_ why: String) -> MlflowError {
            .invalid("Invalid filter string '\(text)': \(why)")
        }
        while i < tokens.count {
            if !clauses.isEmpty {
                guard case .word(let w) = tokens[i].token, w.uppercased() == "AND" else {
                    if case .word(let w) = tokens[i].token, w.uppercased() == "OR" {
                        throw .invalid("Invalid clause(s) in filter string: 'OR'. Only 'AND' is supported.")
                    }
                    throw fail("expected 'AND' before '\(tokens[i].token.text)'.")
                }
                i += 1
                guard i < tokens.count else { throw fail("the filter ends after 'AND'.") }
            }
            if clauses.count == Limits.filterClauses {
                throw .invalid("Invalid filter string: at most \(Limits.filterClauses) clauses are allowed.")
            }
            let (prefix, key) = try identifier(tokens, &i, text: text)
            if key.isEmpty { throw fail("an identifier has an empty key.") }
            guard i < tokens.count else { throw fail("the clause on '\(key)' has no comparator.") }
            // Comparator.
            var comparator: Comparator
            switch tokens[i].token {
            case .op(let o):
                guard let c = Comparator(rawValue: o) else { throw fail("unknown operator '\(o)'.") }
                comparator = c
                i += 1
            case .word(let w):
                let upper = w.uppercased()
                i += 1
                switch upper {
                case "LIKE": comparator = .like
                case "ILIKE": comparator = .ilike
                case "IN": comparator = .in
                case "NOT":
                    guard i < tokens.count, case .word(let n) = tokens[i].token else {
                        throw fail("expected IN or LIKE after NOT.")
                    }
                    i += 1
                    switch n.uppercased() {
                    case "IN": comparator = .notIn
                    default: throw fail("'NOT \(n)' is not a supported comparator.")
                    }
                case "IS":
                    guard i < tokens.count, case .word(let n) = tokens[i].token else {
                        throw fail("expected NULL after IS.")
                    }
                    i += 1
                    if n.uppercased() == "NULL" {
                        comparator = .isNull
                    } else if n.uppercased() == "NOT", i < tokens.count, case .word(let n2) = tokens[i].token,
                        n2.uppercased() == "NULL"
                    {
                        i += 1
                        comparator = .isNotNull
                    } else {
                        throw fail("expected NULL or NOT NULL after IS.")
                    }
                default:
                    throw fail("invalid comparator '\(w)'.")
                }
            default:
                throw fail("expected a comparator after '\(key)' but found '\(tokens[i].token.text)'.")
            }
            // Value.
            var value = FilterValue.none
            var quoted = false
            var unquoted: String?
            if comparator == .isNull || comparator == .isNotNull {
                value = .none
            } else if comparator == .in || comparator == .notIn {
                guard i < tokens.count, tokens[i].token == .leftParen else {
                    throw fail("expected a parenthesised list after \(comparator.rawValue).")
                }
                i += 1
                var items: [String] = []
                while true {
                    guard i < tokens.count else { throw fail("unterminated list.") }
                    switch tokens[i].token {
                    case .quoted(let s, let q) where q != "`":
                        items.append(s)
                    default:
                        throw fail("list values must be quoted strings, found '\(tokens[i].token.text)'.")
                    }
                    i += 1
                    guard i < tokens.count else { throw fail("unterminated list.") }
                    if tokens[i].token == .comma {
                        i += 1
                    } else if tokens[i].token == .rightParen {
                        i += 1
                        break
                    } else {
                        throw fail("expected ',' or ')' in list.")
                    }
                }
                if items.isEmpty { throw fail("empty list.") }
                value = .list(items)
                quoted = true
            } else {
                guard i < tokens.count else { throw fail("the clause on '\(key)' has no value.") }
                switch tokens[i].token {
                case .quoted(let s, let q) where q != "`":
                    value = .string(s)
                    quoted = true
                case .word(let w):
                    if let d = Double(w), !w.lowercased().contains("nan"), !w.lowercased().contains("inf") {
                        value = .number(d)
                    } else {
                        unquoted = w
                        value = .string(w)
                    }
                default:
                    throw fail("expected a value after '\(comparator.rawValue)' but found '\(tokens[i].token.text)'.")
                }
                i += 1
            }
            clauses.append(
                RawFilterClause(
                    prefix: prefix, key: key, comparator: comparator, value: value, valueWasQuoted: quoted,
                    unquotedText: unquoted))
        }
        return clauses
    }

    /// Reads an identifier: `word`, `prefix.key`, `prefix.` + a backtick/double-quoted key, or a quoted bare key.
    static func identifier(
        _ tokens: [LexedToken], _ i: inout Int, text: String
    ) throws(MlflowError) -> (prefix: String?, key: String) {
        guard i < tokens.count else { throw .invalid("Invalid filter string '\(text)': expected an identifier.") }
        switch tokens[i].token {
        case .word(let w):
            if w.hasSuffix("."), i + 1 < tokens.count, !tokens[i + 1].spaceBefore,
                case .quoted(let q, let quote) = tokens[i + 1].token, quote != "'"
            {
                i += 2
                return (String(w.dropLast()), q)
            }
            i += 1
            if let dot = w.firstIndex(of: ".") {
                return (String(w[..<dot]), String(w[w.index(after: dot)...]))
            }
            if ["AND", "OR", "NOT", "IN", "IS", "LIKE", "ILIKE", "NULL"].contains(w.uppercased()) {
                throw .invalid("Invalid filter string '\(text)': expected an identifier but found '\(w)'.")
            }
            return (nil, w)
        case .quoted(let q, let quote) where quote != "'":
            i += 1
            return (nil, q)
        default:
            throw .invalid(
                "Invalid filter string '\(text)': expected an identifier but found '\(tokens[i].token.text)'.")
        }
    }

    /// The error for a string value written without quotes.
    static func unquotedValueError(_ text: String) -> MlflowError {
        .invalid(
            "Parameter value is either not quoted or unidentified quote types used for string value \(text). "
                + "Use either single or double quotes."
        )
    }
}
