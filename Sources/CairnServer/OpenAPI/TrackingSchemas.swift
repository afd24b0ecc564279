import CairnCore
import Hummingbird

/// The request and reply schemas of the tracking endpoints in ``APIRoutes/endpoints`` (experiments,
/// runs, metrics, logged models); the registry's are in ``RegistrySchemas``. Field names, types and
/// required fields follow MLflow's service messages and what the handlers accept.
enum TrackingSchemas {
    /// A run named by `run_id` or its older twin `run_uuid`.
    static let runIds: [Field] = [.optional("run_id", .string), .optional("run_uuid", .string)]
    /// A list of `{key, value}` pairs (tags, params).
    static let tags: Schema = .array(of: .object(.id("key"), .optional("value", .string)))
    /// Which lifecycle stages a search covers.
    static let viewType: Schema = .oneOf(ViewType.allCases.map(\.rawValue))
    /// `order_by` clauses such as `metrics.loss DESC`.
    static let orderBy: Schema = .array(of: .string)
    /// The fields of one metric point in a request.
    static let metric: [Field] = [
        .id("key"), .required("value", .double), .required("timestamp", .int64),
        .optional("step", .int64), .optional("model_id", .string), .optional("dataset_name", .string),
        .optional("dataset_digest", .string),
    ]
    /// A dataset in a `runs/log-inputs` request.
    static let dataset: Schema = .object(
        .id("name"), .id("digest"), .id("source_type"),
        .id("source"), .optional("schema", .string), .optional("profile", .string))
    /// `{"experiment": ...}`.
    static let experiment = EndpointSchema.reply("experiment", .ref("Experiment"))
    /// `{"run": ...}`.
    static let run = EndpointSchema.reply("run", .ref("Run"))
    /// `{"model": ...}` (a logged model).
    static let model = EndpointSchema.reply("model", .ref("LoggedModel"))
    /// A list of metric points.
    static let history: Schema = .object(.optional("metrics", .array(of: .ref("Metric"))))

    /// The rows, in the shape of the route table: path, methods, schema.
    static let rows: [(String, [HTTPRequest.Method], EndpointSchema)] =
        [
            (
                "experiments/create", [.post],
                .init(
                    "Create an experiment",
                    [.id("name"), .optional("artifact_location", .string), .optional("tags", tags)],
                    reply: .object(.id("experiment_id"))
                ).producing("experiment_id", at: "/experiment_id")
            ),
            (
                "experiments/get", [.get],
                .init("Get an experiment by id", [.id("experiment_id")], reply: experiment)
            ),
            (
                "experiments/get-by-name", [.get],
                .init("Get an experiment by name", [.id("experiment_name")], reply: experiment)
            ),
            (
                "experiments/search", [.post, .get],
                .init(
                    "Search experiments",
                    [
                        .required("max_results", .count), .optional("filter", .string),
                        .optional("page_token", .string),
                        .optional("order_by", orderBy), .optional("view_type", viewType),
                    ], reply: EndpointSchema.page("experiments", "Experiment"))
            ),
            (
                "experiments/update", [.post],
                .init("Rename an experiment", [.id("experiment_id"), .id("new_name")])
            ),
            ("experiments/delete", [.post], .init("Delete an experiment", [.id("experiment_id")])),
            (
                "experiments/restore", [.post],
                .init("Restore a deleted experiment", [.id("experiment_id")])
            ),
            (
                "experiments/set-experiment-tag", [.post],
                .init(
                    "Set a tag on an experiment",
                    [.id("experiment_id"), .id("key"), .optional("value", .string)])
            ),
            (
                "experiments/delete-experiment-tag", [.post],
                .init("Delete an experiment tag", [.id("experiment_id"), .id("key")])
            ),
            (
                "runs/create", [.post],
                .init(
                    "Create a run",
                    [
                        .optional("experiment_id", .string), .optional("user_id", .string),
                        .optional("run_name", .string), .optional("start_time", .int64), .optional("tags", tags),
                    ], reply: run
                ).producing("run_id", at: "/run/info/run_id")
            ),
            ("runs/get", [.get], .init("Get a run", runIds, reply: run)),
            (
                "runs/update", [.post],
                .init(
                    "Update a run's status, end time or name",
                    runIds + [
                        .optional("status", .oneOf(RunStatus.allCases.map(\.rawValue))), .optional("end_time", .int64),
                        .optional("run_name", .string),
                    ], reply: EndpointSchema.reply("run_info", .ref("RunInfo")))
            ),
            ("runs/delete", [.post], .init("Delete a run", [.id("run_id")])),
            ("runs/restore", [.post], .init("Restore a deleted run", [.id("run_id")])),
            (
                "runs/search", [.post, .get],
                .init(
                    "Search runs",
                    [
                        .optional("experiment_ids", .array(of: .string)), .optional("filter", .string),
                        .optional("run_view_type", viewType), .optional("max_results", .count),
                        .optional("order_by", orderBy), .optional("page_token", .string),
                    ], reply: EndpointSchema.page("runs", "Run"))
            ),
            ("runs/log-metric", [.post], .init("Log a metric", runIds + metric)),
            (
                "runs/log-parameter", [.post],
                .init("Log a parameter", runIds + [.id("key"), .optional("value", .string)])
            ),
            (
                "runs/set-tag", [.post],
                .init("Set a tag on a run", runIds + [.id("key"), .required("value", .string)])
            ),
            (
                "runs/delete-tag", [.post],
                .init("Delete a run tag", [.id("run_id"), .id("key")])
            ),
            (
                "runs/log-batch", [.post],
                .init(
                    "Log metrics, params and tags at once",
                    runIds + [
                        .optional("metrics", .array(of: Schema(type: "object", properties: metric))),
                        .optional("params", tags), .optional("tags", tags),
                    ])
            ),
            (
                "runs/log-inputs", [.post],
                .init(
                    "Log dataset and model inputs of a run",
                    [
                        .id("run_id"),
                        .optional(
                            "datasets", .array(of: .object(.optional("tags", tags), .required("dataset", dataset)))),
                        .optional("models", .array(of: .object(.id("model_id")))),
                    ])
            ),
            (
                "runs/outputs", [.post],
                .init(
                    "Log model outputs of a run",
                    [
                        .id("run_id"),
                        .optional(
                            "models", .array(of: .object(.id("model_id"), .required("step", .int64)))),
                    ])
            ),
            (
                "metrics/get-history", [.get],
                .init(
                    "Get the history of one metric of a run",
                    runIds + [
                        .id("metric_key"), .optional("max_results", .count),
                        .optional("page_token", .string),
                    ],
                    reply: .object(
                        .optional("metrics", .array(of: .ref("Metric"))), .optional("next_page_token", .string)))
            ),
            (
                "metrics/get-history-bulk-interval", [.get],
                .init(
                    "Get sampled histories of one metric over several runs",
                    [
                        .required("run_ids", .array(of: .string)), .id("metric_key"),
                        .optional("start_step", .int64), .optional("end_step", .int64),
                        .optional("max_results", .count),
                    ], reply: history)
            ),
        ] + loggedModelRows
}
