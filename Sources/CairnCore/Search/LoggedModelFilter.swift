/// A logged-model attribute usable in filters and order-by.
public enum LoggedModelAttribute: String, Sendable, CaseIterable {
    case name
    case modelId = "model_id"
    case modelType = "model_type"
    case status
    case sourceRunId = "source_run_id"
    case creationTimestamp = "creation_timestamp"
    case lastUpdatedTimestamp = "last_updated_timestamp"

    /// Resolves a key including the `_time` aliases.
    public init?(alias: String) {
        switch alias {
        case "creation_time", "creation_timestamp_ms": self = .creationTimestamp
        case "last_updated_time", "last_updated_timestamp_ms": self = .lastUpdatedTimestamp
        default: self.init(rawValue: alias)
        }
    }

    var isNumeric: Bool { self == .creationTimestamp || self == .lastUpdatedTimestamp }
}

/// What a logged-model filter clause refers to.
public enum LoggedModelField: Sendable, Equatable {
    case attribute(LoggedModelAttribute)
    case metric(String)
    case param(String)
    case tag(String)

    static func resolve(prefix: String?, key: String) throws(MlflowError) -> LoggedModelField {
        switch prefix?.lowercased() {
        case nil, "attribute", "attributes", "attr":
            guard let a = LoggedModelAttribute(alias: key) else {
                throw .invalid("Invalid attribute key '\(key)' for logged models.")
            }
            return .attribute(a)
        case "metric", "metrics": return .metric(key)
        case "param", "params": return .param(key)
        case "tag", "tags": return .tag(key)
        case let other?: throw .invalid("Invalid entity type '\(other)' for logged models.")
        }
    }
}

/// One validated logged-model filter clause.
public struct LoggedModelFilterClause: Sendable, Equatable {
    public var field: LoggedModelField
    public var comparator: Comparator
    public var value: FilterValue
}

/// A parsed logged-models filter (`name = 'model' AND metrics.acc > 0.9`).
public struct LoggedModelFilter: Sendable, Equatable {
    public var clauses: [LoggedModelFilterClause]

    /// Parses and validates `text` with the logged-models grammar.
    public init(parsing text: String) throws(MlflowError) {
        var result: [LoggedModelFilterClause] = []
        for raw in try FilterParser.parse(text) {
            let field = try LoggedModelField.resolve(prefix: raw.prefix, key: raw.key)
            let c = raw.comparator
            let numeric: Bool
            switch field {
            case .metric: numeric = true
            case .attribute(let a): numeric = a.isNumeric
            case .param, .tag: numeric = false
            }
            if numeric {
                guard Comparator.numeric.contains(c), case .number = raw.value else {
                    throw .invalid("Invalid comparator or non-numeric value for '\(raw.key)' in '\(text)'.")
                }
            } else {
                var allowed = Comparator.string
                if case .attribute = field { allowed.formUnion([.in, .notIn]) }
                guard allowed.contains(c) else {
                    throw .invalid("Invalid comparator '\(c.rawValue)' for '\(raw.key)' in '\(text)'.")
                }
                try RunFilter.requireQuotedString(raw)
            }
            result.append(LoggedModelFilterClause(field: field, comparator: c, value: raw.value))
        }
        clauses = result
    }
}
