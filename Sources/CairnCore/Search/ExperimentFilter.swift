/// A field of an experiment usable in filters and order-by.
public enum ExperimentField: Sendable, Equatable {
    case name
    case experimentId
    case creationTime
    case lastUpdateTime
    case tag(String)

    static func resolve(prefix: String?, key: String) throws(MlflowError) -> ExperimentField {
        switch prefix?.lowercased() {
        case nil, "attribute", "attributes", "attr":
            switch key {
            case "name": return .name
            case "experiment_id": return .experimentId
            case "creation_time": return .creationTime
            case "last_update_time": return .lastUpdateTime
            default:
                throw .invalid(
                    "Invalid attribute key '\(key)' specified. Valid keys are "
                        + "'{'name', 'experiment_id', 'creation_time', 'last_update_time'}'")
            }
        case "tag", "tags": return .tag(key)
        case let other?:
            throw .invalid("Invalid entity type '\(other)'. Valid values are ['tag', 'attribute']")
        }
    }

    var isNumeric: Bool { self == .creationTime || self == .lastUpdateTime }
}

/// One validated experiments-filter clause.
public struct ExperimentFilterClause: Sendable, Equatable {
    public var field: ExperimentField
    public var comparator: Comparator
    public var value: FilterValue
}

/// A parsed experiments filter (`name LIKE 'x%' AND tags.team = 'a'`).
public struct ExperimentFilter: Sendable, Equatable {
    public var clauses: [ExperimentFilterClause]

    /// Parses and validates `text` with the experiments grammar.
    public init(parsing text: String) throws(MlflowError) {
        var result: [ExperimentFilterClause] = []
        for raw in try FilterParser.parse(text) {
            let field = try ExperimentField.resolve(prefix: raw.prefix, key: raw.key)
            let c = raw.comparator
            switch field {
            case .creationTime, .lastUpdateTime:
                guard Comparator.numeric.contains(c), case .number = raw.value else {
                    throw .invalid("Invalid comparator or value for numeric attribute '\(raw.key)' in '\(text)'.")
                }
            case .experimentId:
                guard Comparator.string.union([.in, .notIn]).contains(c) else {
                    throw .invalid("Invalid comparator '\(c.rawValue)' for attribute 'experiment_id'.")
                }
                try RunFilter.requireQuotedString(raw)
            case .name:
                guard Comparator.string.contains(c) else {
                    throw .invalid("Invalid comparator '\(c.rawValue)' for attribute 'name'.")
                }
                try RunFilter.requireQuotedString(raw)
            case .tag:
                guard Comparator.string.union([.isNull, .isNotNull]).contains(c) else {
                    throw .invalid("Invalid comparator '\(c.rawValue)' for tag '\(raw.key)'.")
                }
                try RunFilter.requireQuotedString(raw)
            }
            result.append(ExperimentFilterClause(field: field, comparator: c, value: raw.value))
        }
        clauses = result
    }
}

/// An experiments sort key.
public typealias ExperimentOrderClause = OrderClause<ExperimentField>

extension ExperimentOrderClause {
    /// Parses an experiments `order_by` entry (`name`, `creation_time DESC`, ...).
    public static func parseExperiment(_ text: String) throws(MlflowError) -> ExperimentOrderClause {
        let (prefix, key, ascending) = try OrderByParser.parse(text)
        let field = try ExperimentField.resolve(prefix: prefix, key: key)
        if case .tag = field { throw .invalid("Invalid order_by clause '\(text)': tags cannot be ordered by.") }
        return ExperimentOrderClause(field: field, ascending: ascending)
    }
}
