import CairnCore

/// The shared message schemas of the OpenAPI document (`#/components/schemas`): the entities the
/// replies carry, as Cairn writes them. Every reply field is optional, as on the wire, where empty
/// lists and unset fields are left out.
enum MessageSchemas {
    /// The component schemas, by name, in document order.
    static let all: [(String, Schema)] = [
        ("Error", error),
        ("KeyValue", .object(.optional("key", .string), .optional("value", .string))),
        ("Experiment", experiment),
        ("RunInfo", runInfo),
        ("Metric", metric),
        ("Dataset", dataset),
        ("Run", run),
        ("RegisteredModel", registeredModel),
        ("ModelVersion", modelVersion),
        ("LoggedModel", loggedModel),
        ("FileInfo", .object(.optional("path", .string), .optional("is_dir", .bool), .optional("file_size", .int64))),
    ]

    /// MLflow's error reply: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}`.
    static let error: Schema = .object(.required("error_code", .string), .required("message", .string))

    /// A list of key/value pairs (tags, params).
    static let keyValues: Schema = .array(of: .ref("KeyValue"))

    /// An experiment as `experiments/get` returns it.
    static let experiment: Schema = .object(
        .optional("experiment_id", .string), .optional("name", .string), .optional("artifact_location", .string),
        .optional("lifecycle_stage", .string), .optional("last_update_time", .int64),
        .optional("creation_time", .int64), .optional("tags", keyValues))

    /// A run's info block (ids, status, times, artifact URI).
    static let runInfo: Schema = .object(
        .optional("run_id", .string), .optional("run_uuid", .string), .optional("run_name", .string),
        .optional("experiment_id", .string), .optional("user_id", .string),
        .optional("status", .oneOf(RunStatus.allCases.map(\.rawValue))), .optional("start_time", .int64),
        .optional("end_time", .int64), .optional("artifact_uri", .string), .optional("lifecycle_stage", .string))

    /// One metric point.
    static let metric: Schema = .object(
        .optional("key", .string), .optional("value", .double), .optional("timestamp", .int64),
        .optional("step", .int64), .optional("dataset_name", .string), .optional("dataset_digest", .string),
        .optional("model_id", .string), .optional("run_id", .string))

    /// A dataset recorded as a run input.
    static let dataset: Schema = .object(
        .optional("name", .string), .optional("digest", .string), .optional("source_type", .string),
        .optional("source", .string), .optional("schema", .string), .optional("profile", .string))

    /// A run: info, data (metrics, params, tags), inputs and outputs.
    static let run: Schema = .object(
        .optional("info", .ref("RunInfo")),
        .optional(
            "data",
            .object(
                .optional("metrics", .array(of: .ref("Metric"))), .optional("params", keyValues),
                .optional("tags", keyValues))),
        .optional(
            "inputs",
            .object(
                .optional(
                    "dataset_inputs",
                    .array(of: .object(.optional("tags", keyValues), .optional("dataset", .ref("Dataset"))))),
                .optional("model_inputs", .array(of: .object(.optional("model_id", .string)))))),
        .optional(
            "outputs",
            .object(
                .optional(
                    "model_outputs", .array(of: .object(.optional("model_id", .string), .optional("step", .int64)))))))

    /// A registered model version.
    static let modelVersion: Schema = .object(
        .optional("name", .string), .optional("version", .string), .optional("creation_timestamp", .int64),
        .optional("last_updated_timestamp", .int64), .optional("user_id", .string),
        .optional("current_stage", .oneOf(ModelStage.allCases.map(\.rawValue))), .optional("description", .string),
        .optional("source", .string), .optional("run_id", .string), .optional("status", .string),
        .optional("status_message", .string), .optional("tags", keyValues), .optional("run_link", .string),
        .optional("aliases", .array(of: .string)), .optional("model_id", .string))

    /// A registered model with its latest versions and aliases.
    static let registeredModel: Schema = .object(
        .optional("name", .string), .optional("creation_timestamp", .int64),
        .optional("last_updated_timestamp", .int64), .optional("user_id", .string),
        .optional("description", .string), .optional("latest_versions", .array(of: .ref("ModelVersion"))),
        .optional("tags", keyValues),
        .optional("aliases", .array(of: .object(.optional("alias", .string), .optional("version", .string)))))

    /// A logged model: info and data.
    static let loggedModel: Schema = .object(
        .optional(
            "info",
            .object(
                .optional("model_id", .string), .optional("experiment_id", .string), .optional("name", .string),
                .optional("creation_timestamp_ms", .int64), .optional("last_updated_timestamp_ms", .int64),
                .optional("artifact_uri", .string),
                .optional("status", .oneOf(LoggedModelStatus.allCases.map(\.rawValue))),
                .optional("creator_id", .string), .optional("model_type", .string),
                .optional("source_run_id", .string), .optional("status_message", .string),
                .optional("tags", keyValues),
                .optional(
                    "registrations",
                    .array(of: .object(.optional("name", .string), .optional("version", .string)))))),
        .optional(
            "data",
            .object(.optional("params", keyValues), .optional("metrics", .array(of: .ref("Metric"))))))
}
