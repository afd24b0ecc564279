/// A table of Cairn's schema as the copier walks it: its name and the columns of its primary key.
public struct CairnTable: Sendable, Equatable {
    /// The table name.
    public var name: String
    /// The primary-key columns, in key order; rows are streamed in this order.
    public var key: [String]

    /// Creates a table description.
    public init(_ name: String, key: [String]) {
        self.name = name
        self.key = key
    }
}

extension CairnTable {
    /// Every table of Cairn's schema, parents before children (the order foreign keys allow).
    public static let all: [CairnTable] = [
        CairnTable("experiments", key: ["experiment_id"]),
        CairnTable("experiment_tags", key: ["experiment_id", "key"]),
        CairnTable("runs", key: ["id"]),
        CairnTable("params", key: ["run", "key"]),
        CairnTable("tags", key: ["run", "key"]),
        CairnTable("metrics", key: ["run", "key", "step", "timestamp", "value", "is_nan"]),
        CairnTable("latest_metrics", key: ["run", "key"]),
        CairnTable("datasets", key: ["id"]),
        CairnTable("run_inputs", key: ["run", "dataset"]),
        CairnTable("input_tags", key: ["run", "dataset", "key"]),
        CairnTable("model_inputs", key: ["run", "model_id"]),
        CairnTable("model_outputs", key: ["run", "model_id", "step"]),
        CairnTable("logged_models", key: ["model_id"]),
        CairnTable("logged_model_tags", key: ["model_id", "key"]),
        CairnTable("logged_model_params", key: ["model_id", "key"]),
        CairnTable(
            "logged_model_metrics",
            key: ["model_id", "key", "step", "timestamp", "value", "is_nan", "dataset_name", "dataset_digest"]),
        CairnTable("registered_models", key: ["id"]),
        CairnTable("registered_model_tags", key: ["model", "key"]),
        CairnTable("model_versions", key: ["model", "version"]),
        CairnTable("model_version_tags", key: ["model", "version", "key"]),
        CairnTable("registered_model_aliases", key: ["model", "alias"]),
        CairnTable("auth_users", key: ["id"]),
        CairnTable("auth_grants", key: ["user_id", "resource_type", "resource_id"]),
        CairnTable("auth_tokens", key: ["id"]),
        CairnTable("auth_sessions", key: ["cookie_hash"]),
        CairnTable("audit_events", key: ["id"]),
    ]

    /// The generated-id columns whose counters must move past the copied ids.
    public static let identities: [(table: String, column: String)] = [
        ("experiments", "experiment_id"), ("runs", "id"), ("datasets", "id"), ("registered_models", "id"),
        ("auth_users", "id"), ("audit_events", "id"),
    ]
}
