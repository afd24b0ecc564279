/// A field of a registered model usable in filters.
public enum RegisteredModelField: Sendable, Equatable {
    case name
    case tag(String)
}

/// A parsed registered-models filter (`name LIKE 'churn%' AND tags.team = 'a'`).
public struct RegisteredModelFilter: Sendable, Equatable {
    public var clauses: [(field: RegisteredModelField, comparator: Comparator, value: FilterValue)]

    public static func == (a: Self, b: Self) -> Bool {
        a.clauses.map(\.field) == b.clauses.map(\.field) && a.clauses.map(\.comparator) == b.clauses.map(\.comparator)
            && a.clauses.map(\.value) == b.clauses.map(\.value)
    }

    /// Models whose name contains `text`, ignoring case (`%` and `_` in it act as wildcards, as in the
    /// search box of the reference UI); no filter text is built from it.
    public static func nameContains(_ text: String) -> RegisteredModelFilter {
        RegisteredModelFilter(clauses: [(.name, .ilike, .string("%" + text + "%"))])
    }

    private init(clauses: [(field: RegisteredModelField, comparator: Comparator, value: FilterValue)]) {
        self.clauses = clauses
    }

    /// Parses and validates `text`.
    public init(parsing text: String) throws(MlflowError) {
        var result: [(RegisteredModelField, Comparator, FilterValue)] = []
        for raw in try FilterParser.parse(text) {
            let field: RegisteredModelField
            switch raw.prefix?.lowercased() {
            case nil, "attribute", "attributes", "attr":
                guard raw.key == "name" else {
                    throw .invalid("Invalid attribute key '\(raw.key)' specified. Valid keys are '{'name'}'")
                }
                field = .name
                guard Comparator.string.union([.in, .notIn]).contains(raw.comparator) else {
                    throw .invalid("Invalid comparator '\(raw.comparator.rawValue)' for attribute 'name'.")
                }
            case "tag", "tags":
                field = .tag(raw.key)
                guard Comparator.string.contains(raw.comparator) else {
                    throw .invalid("Invalid comparator '\(raw.comparator.rawValue)' for tag '\(raw.key)'.")
                }
            case let other?:
                throw .invalid("Invalid entity type '\(other)'. Valid values are ['tag', 'attribute']")
            }
            try RunFilter.requireQuotedString(raw)
            result.append((field, raw.comparator, raw.value))
        }
        clauses = result
    }
}

/// A registered-models sort key.
public enum RegisteredModelOrder: Sendable, Equatable {
    case name(ascending: Bool)
    case lastUpdated(ascending: Bool)

    /// Parses `name`, `timestamp` or `last_updated_timestamp` with ASC/DESC.
    public init(parsing text: String) throws(MlflowError) {
        let (prefix, key, ascending) = try OrderByParser.parse(text)
        guard prefix == nil || prefix == "attribute" || prefix == "attributes" else {
            throw .invalid("Invalid order_by clause '\(text)'.")
        }
        switch key {
        case "name": self = .name(ascending: ascending)
        case "timestamp", "last_updated_timestamp": self = .lastUpdated(ascending: ascending)
        default:
            throw .invalid(
                "Invalid order by key '\(key)' specified. Valid keys are 'name', 'timestamp', 'last_updated_timestamp'")
        }
    }
}

/// A field of a model version usable in filters and order-by.
public enum ModelVersionField: Sendable, Equatable {
    case name
    case runId
    case sourcePath
    case versionNumber
    case creationTimestamp
    case lastUpdatedTimestamp
    case tag(String)
}

/// A parsed model-versions filter (`name = 'churn' AND run_id IN ('a', 'b')`).
public struct ModelVersionFilter: Sendable, Equatable {
    public var clauses: [(field: ModelVersionField, comparator: Comparator, value: FilterValue)]

    public static func == (a: Self, b: Self) -> Bool {
        a.clauses.map(\.field) == b.clauses.map(\.field) && a.clauses.map(\.comparator) == b.clauses.map(\.comparator)
            && a.clauses.map(\.value) == b.clauses.map(\.value)
    }

    /// The versions of exactly the model `name`, whatever characters the name holds (no filter text
    /// is built from it).
    public static func versions(of name: String) -> ModelVersionFilter {
        ModelVersionFilter(clauses: [(.name, .equal, .string(name))])
    }

    /// The versions registered from the run `runId`.
    public static func versions(fromRun runId: String) -> ModelVersionFilter {
        ModelVersionFilter(clauses: [(.runId, .equal, .string(runId))])
    }

    private init(clauses: [(field: ModelVersionField, comparator: Comparator, value: FilterValue)]) {
        self.clauses = clauses
    }

    /// Parses and validates `text`.
    public init(parsing text: String) throws(MlflowError) {
        var result: [(ModelVersionField, Comparator, FilterValue)] = []
        for raw in try FilterParser.parse(text) {
            let field: ModelVersionField
            switch raw.prefix?.lowercased() {
            case nil, "attribute", "attributes", "attr":
                switch raw.key {
                case "name": field = .name
                case "run_id": field = .runId
                case "source_path": field = .sourcePath
                case "version_number": field = .versionNumber
                default:
                    throw .invalid(
                        "Invalid attribute key '\(raw.key)' specified. Valid keys are "
                            + "'name', 'run_id', 'source_path', 'version_number'")
                }
            case "tag", "tags": field = .tag(raw.key)
            case let other?:
                throw .invalid("Invalid entity type '\(other)'. Valid values are ['tag', 'attribute']")
            }
            switch field {
            case .versionNumber:
                guard Comparator.numeric.contains(raw.comparator), case .number = raw.value else {
                    throw .invalid("Invalid comparator or non-numeric value for 'version_number' in '\(text)'.")
                }
            case .name, .runId:
                guard Comparator.string.union([.in, .notIn]).contains(raw.comparator) else {
                    throw .invalid("Invalid comparator '\(raw.comparator.rawValue)' for attribute '\(raw.key)'.")
                }
                try RunFilter.requireQuotedString(raw)
            default:
                guard Comparator.string.contains(raw.comparator) else {
                    throw .invalid("Invalid comparator '\(raw.comparator.rawValue)' for '\(raw.key)'.")
                }
                try RunFilter.requireQuotedString(raw)
            }
            result.append((field, raw.comparator, raw.value))
        }
        clauses = result
    }
}

/// A model-versions sort key.
public typealias ModelVersionOrderClause = OrderClause<ModelVersionField>

extension ModelVersionOrderClause {
    /// Parses `name`, `version_number`, `creation_timestamp` or `last_updated_timestamp` with ASC/DESC.
    public static func parseModelVersion(_ text: String) throws(MlflowError) -> ModelVersionOrderClause {
        let (prefix, key, ascending) = try OrderByParser.parse(text)
        guard prefix == nil || prefix == "attribute" || prefix == "attributes" else {
            throw .invalid("Invalid order_by clause '\(text)'.")
        }
        let field: ModelVersionField
        switch key {
        case "name": field = .name
        case "version_number": field = .versionNumber
        case "creation_timestamp": field = .creationTimestamp
        case "last_updated_timestamp", "timestamp": field = .lastUpdatedTimestamp
        default:
            throw .invalid(
                "Invalid order by key '\(key)' specified. Valid keys are 'name', 'version_number', "
                    + "'creation_timestamp', 'last_updated_timestamp'")
        }
        return ModelVersionOrderClause(field: field, ascending: ascending)
    }
}
