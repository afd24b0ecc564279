import CairnCore
import Hummingbird

/// The request and reply schemas of the tracking endpoints in ``APIRoutes/endpoints`` (experiments,
/// runs, metrics, logged models); the registry's are in ``RegistrySchemas``. Field names, types and
/// required fields follow MLflow's service messages and what the handlers accept.
enum TrackingSchemas {
    static let runIds: [Field] = [.optional("run_id", .string), .optional("run_uuid", .string)]
    static let tags: Schema = .array(of: .object(.required("key", .string), .optional("value", .string)))
    static let viewType: Schema = .oneOf(ViewType.allCases.map(\.rawValue))
    static let orderBy: Schema = .array(of: .string)
    static let metric: [Field] = [
        .required("key", .string), .required("value", .double), .required("timestamp", .int64),
        .optional("step", .int64), .optional("model_id", .string), .optional("dataset_name", .string),
        .optional("dataset_digest", .string),
    ]
    static let dataset: Schema = .object(
        .required("name", .string), .required("digest", .string), .required("source_type", .string),
        .required("source", .string), .optional("schema", .string), .optional("profile", .string))
    static let experiment = EndpointSchema.reply("experiment", .ref("Experiment"))
    static let run = EndpointSchema.reply("run", .ref("Run"))
    static let model = EndpointSchema.reply("model", .ref("LoggedModel"))
    static let history: Schema = .object(.optional("metrics", .array(of: .ref("Metric"))))

    /// The rows, in the shape of the route table: path, methods, schema.
    static let rows: [(String, [HTTPRequest.Method], EndpointSchema)] =
        [
            (
                "experiments/create", [.post],
                .init(
                    "Create an experiment",
                    [.required("name", .string), .optional("artifact_location", .string), .optional("tags", tags)],
                    reply: .object(.required("experiment_id", .string)))
            ),
            (
                "experiments/get", [.get],
                .init("Get an experiment by id", [.required("experiment_id", .string)], reply: experiment)
            ),
            (
                "experiments/get-by-name", [.get],
                .init("Get an experiment by name", [.required("experiment_name", .string)], reply: experiment)
            ),
            (
                "experiments/search", [.post, .get],
                .init(
                    "Search experiments",
                    [
                        .required("max_results", .int64), .optional("filter", .string),
                        .optional("page_token", .string),
                        .optional("order_by", orderBy), .optional("view_type", viewType),
                    ], reply: EndpointSchema.page("experiments", "Experiment"))
            ),
            (
                "experiments/update", [.post],
                .init("Rename an experiment", [.required("experiment_id", .string), .required("new_name", .string)])
            ),
            ("experiments/delete", [.post], .init("Delete an experiment", [.required("experiment_id", .string)])),
            (
                "experiments/restore", [.post],
                .init("Restore a deleted experiment", [.required("experiment_id", .string)])
            ),
            (
                "experiments/set-experiment-tag", [.post],
                .init(
                    "Set a tag on an experiment",
                    [.required("experiment_id", .string), .required("key", .string), .optional("value", .string)])
            ),
            (
                "experiments/delete-experiment-tag", [.post],
                .init("Delete an experiment tag", [.required("experiment_id", .string), .required("key", .string)])
            ),
            (
                "runs/create", [.post],
                .init(
                    "Create a run",
                    [
                        .optional("experiment_id", .string), .optional("user_id", .string),
                        .optional("run_name", .string), .optional("start_time", .int64), .optional("tags", tags),
                    ], reply: run)
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
            ("runs/delete", [.post], .init("Delete a run", [.required("run_id", .string)])),
            ("runs/restore", [.post], .init("Restore a deleted run", [.required("run_id", .string)])),
            (
                "runs/search", [.post, .get],
                .init(
                    "Search runs",
                    [
                        .optional("experiment_ids", .array(of: .string)), .optional("filter", .string),
                        .optional("run_view_type", viewType), .optional("max_results", .int32),
                        .optional("order_by", orderBy), .optional("page_token", .string),
                    ], reply: EndpointSchema.page("runs", "Run"))
            ),
            ("runs/log-metric", [.post], .init("Log a metric", runIds + metric)),
            (
                "runs/log-parameter", [.post],
                .init("Log a parameter", runIds + [.required("key", .string), .optional("value", .string)])
            ),
            (
                "runs/set-tag", [.post],
                .init("Set a tag on a run", runIds + [.required("key", .string), .required("value", .string)])
            ),
            (
                "runs/delete-tag", [.post],
                .init("Delete a run tag", [.required("run_id", .string), .required("key", .string)])
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
                        .required("run_id", .string),
                        .optional(
                            "datasets", .array(of: .object(.optional("tags", tags), .required("dataset", dataset)))),
                        .optional("models", .array(of: .object(.required("model_id", .string)))),
                    ])
            ),
            (
                "runs/outputs", [.post],
                .init(
                    "Log model outputs of a run",
                    [
                        .required("run_id", .string),
                        .optional(
                            "models", .array(of: .object(.required("model_id", .string), .required("step", .int64)))),
                    ])
            ),
            (
                "metrics/get-history", [.get],
                .init(
                    "Get the history of one metric of a run",
                    runIds + [
                        .required("metric_key", .string), .optional("max_results", .int32),
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
                        .required("run_ids", .array(of: .string)), .required("metric_key", .string),
                        .optional("start_step", .int32), .optional("end_step", .int32),
                        .optional("max_results", .int32),
                    ], reply: history)
            ),
        ] + loggedModelRows
}
