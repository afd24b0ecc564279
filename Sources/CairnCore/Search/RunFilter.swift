/// A run attribute usable in filters and order-by.
public enum RunAttribute: String, Sendable, CaseIterable {
    case runId = "run_id"
    case runName = "run_name"
    case userId = "user_id"
    case status
    case startTime = "start_time"
    case endTime = "end_time"
    case artifactUri = "artifact_uri"
    case lifecycleStage = "lifecycle_stage"

    /// Whether the attribute is an integer timestamp.
    public var isNumeric: Bool { self == .startTime || self == .endTime }

    /// Resolves a key as written, including the aliases `created`, `Created` and `run name`.
    public init?(alias: String) {
        switch alias {
        case "created", "Created": self = .startTime
        case "run name", "Run name", "Run Name": self = .runName
        case "run_uuid": self = .runId
        default: self.init(rawValue: alias)
        }
    }
}

/// A dataset field usable in run filters.
public enum DatasetField: String, Sendable, CaseIterable {
    case name
    case digest
    case context
}

/// What a run filter clause or order-by key refers to.
public enum RunField: Sendable, Equatable {
    case metric(String)
    case param(String)
    case tag(String)
    case attribute(RunAttribute)
    case dataset(DatasetField)

    /// Maps an entity prefix as written to a field kind; nil prefix means attribute.
    static func resolve(prefix: String?, key: String, filterText: String) throws(MlflowError) -> RunField {
        switch prefix?.lowercased() {
        case "metric", "metrics": return .metric(key)
        case "param", "params", "parameter", "parameters": return .param(key)
        case "tag", "tags": return .tag(key)
        case "dataset", "datasets":
            guard let f = DatasetField(rawValue: key) else {
                throw .invalid(
                    "Invalid dataset key '\(key)' in '\(filterText)'. Valid keys are: name, digest, context.")
            }
            return .dataset(f)
        case nil, "attribute", "attributes", "attr", "run":
            guard let a = RunAttribute(alias: key) else {
                throw .invalid(
                    "Invalid attribute key '\(key)' specified. Valid keys are "
                        + "'\(RunAttribute.allCases.map(\.rawValue).joined(separator: "', '"))'"
                )
            }
            return .attribute(a)
        case let other?:
            throw .invalid(
                "Invalid entity type '\(other)'. Valid values are "
                    + "['metric', 'parameter', 'tag', 'attribute', 'dataset']")
        }
    }
}

/// One validated clause of a runs filter.
public struct RunFilterClause: Sendable, Equatable {
    public var field: RunField
    public var comparator: Comparator
    public var value: FilterValue

    /// Creates a clause.
    public init(field: RunField, comparator: Comparator, value: FilterValue) {
        self.field = field
        self.comparator = comparator
        self.value = value
    }
}

/// A parsed, validated runs filter: a conjunction of clauses.
///
/// ```swift
/// let f = try RunFilter(parsing: "metrics.acc > 0.9 and params.lr = '0.01'")
/// // f.clauses[0] == RunFilterClause(field: .metric("acc"), comparator: .greater, value: .number(0.9))
/// ```
public struct RunFilter: Sendable, Equatable {
    public var clauses: [RunFilterClause]

    /// Parses and validates `text` with the runs grammar.
    public init(parsing text: String) throws(MlflowError) {
        var result: [RunFilterClause] = []
        for raw in try FilterParser.parse(text) {
            let field = try RunField.resolve(prefix: raw.prefix, key: raw.key, filterText: text)
            try Self.check(raw, field: field)
            result.append(RunFilterClause(field: field, comparator: raw.comparator, value: raw.value))
        }
        clauses = result
    }

    /// Creates a filter from clauses.
    public init(clauses: [RunFilterClause]) {
        self.clauses = clauses
    }

    private static func check(_ raw: RawFilterClause, field: RunField) throws(MlflowError) {
        let c = raw.comparator
        func badComparator(_ what: String, _ allowed: String) -> MlflowError {
            .invalid("Invalid comparator '\(c.rawValue)' not one of '\(allowed)' for \(what) '\(raw.key)'.")
        }
        switch field {
        case .metric:
            guard Comparator.numeric.contains(c) else { throw badComparator("metric", "=, !=, >, >=, <, <=") }
            guard case .number = raw.value else {
                throw .invalid("Expected numeric value type for metric. Found '\(render(raw.value))'")
            }
        case .param, .tag:
            let kind = field == .param(raw.key) ? "param" : "tag"
            let allowed: Set<Comparator> = Comparator.string.union([.isNull, .isNotNull])
            guard allowed.contains(c) else { throw badComparator(kind, "=, !=, LIKE, ILIKE, IS NULL, IS NOT NULL") }
            try requireQuotedString(raw)
        case .attribute(let a):
            if a.isNumeric {
                guard Comparator.numeric.contains(c) else { throw badComparator("attribute", "=, !=, >, >=, <, <=") }
                guard case .number = raw.value else {
                    throw .invalid(
                        "Expected numeric value type for numeric attribute: \(raw.key). Found '\(render(raw.value))'")
                }
            } else {
                var allowed = Comparator.string
                if a == .runId { allowed.formUnion([.in, .notIn]) }
                guard allowed.contains(c) else {
                    throw badComparator(
                        "attribute", a == .runId ? "=, !=, LIKE, ILIKE, IN, NOT IN" : "=, !=, LIKE, ILIKE")
                }
                try requireQuotedString(raw)
            }
        case .dataset:
            guard Comparator.string.union([.in, .notIn]).contains(c) else {
                throw badComparator("dataset", "=, !=, LIKE, ILIKE, IN, NOT IN")
            }
            try requireQuotedString(raw)
        }
    }

    static func requireQuotedString(_ raw: RawFilterClause) throws(MlflowError) {
        if raw.comparator == .isNull || raw.comparator == .isNotNull { return }
        if !raw.valueWasQuoted {
            throw FilterParser.unquotedValueError(raw.unquotedText ?? render(raw.value))
        }
    }

    static func render(_ v: FilterValue) -> String {
        switch v {
        case .string(let s): s
        case .number(let d): String(d)
        case .list(let l): "(" + l.joined(separator: ", ") + ")"
        case .none: ""
        }
    }
}
