/// One `order_by` entry: a key and a direction.
public struct OrderClause<Field: Sendable & Equatable>: Sendable, Equatable {
    public var field: Field
    public var ascending: Bool

    /// Creates an order clause.
    public init(field: Field, ascending: Bool) {
        self.field = field
        self.ascending = ascending
    }
}

/// Parses `"<identifier> [ASC|DESC]"` strings.
public enum OrderByParser {
    /// Splits an order-by string into its raw identifier and direction (ascending by default).
    public static func parse(_ text: String) throws(MlflowError) -> (prefix: String?, key: String, ascending: Bool) {
        let tokens = try FilterLexer.tokenize(text)
        var i = 0
        guard !tokens.isEmpty else { throw .invalid("Invalid order_by clause '\(text)'.") }
        let (prefix, key) = try FilterParser.identifier(tokens, &i, text: text)
        var ascending = true
        if i < tokens.count {
            guard case .word(let w) = tokens[i].token, ["ASC", "DESC"].contains(w.uppercased()) else {
                throw .invalid(
                    "Invalid ordering key in order_by clause '\(text)'. Expected 'ASC' or 'DESC' after the key.")
            }
            ascending = w.uppercased() == "ASC"
            i += 1
        }
        guard i == tokens.count else { throw .invalid("Invalid order_by clause '\(text)'. Could not be parsed.") }
        return (prefix, key, ascending)
    }
}

/// A run sort key.
public typealias RunOrderClause = OrderClause<RunField>

extension RunOrderClause {
    /// Parses a runs `order_by` entry such as `metrics.acc DESC` or `` `Run name` ``.
    public static func parseRun(_ text: String) throws(MlflowError) -> RunOrderClause {
        let (prefix, key, ascending) = try OrderByParser.parse(text)
        let field = try RunField.resolve(prefix: prefix, key: key, filterText: text)
        if case .dataset = field {
            throw .invalid("Invalid order_by entity 'dataset' in '\(text)'.")
        }
        return RunOrderClause(field: field, ascending: ascending)
    }
}
