import CairnCore
import Hummingbird

extension TrackingSchemas {
    /// The logged-model rows (`:model_id` is a path parameter, not a field).
    static let loggedModelRows: [(String, [HTTPRequest.Method], EndpointSchema)] = [
        (
            "logged-models", [.post],
            .init(
                "Create a logged model",
                [
                    .id("experiment_id"), .optional("name", .string), .optional("model_type", .string),
                    .optional("source_run_id", .string), .optional("params", tags), .optional("tags", tags),
                ], reply: model
            ).producing("model_id", at: "/model/info/model_id")
        ),
        (
            "logged-models/search", [.post],
            .init(
                "Search logged models",
                [
                    .optional("experiment_ids", .array(of: .string)), .optional("filter", .string),
                    .optional(
                        "datasets",
                        .array(of: .object(.id("dataset_name"), .optional("dataset_digest", .string)))),
                    .optional("max_results", .count),
                    .optional(
                        "order_by",
                        .array(
                            of: .object(
                                .id("field_name"), .optional("ascending", .bool),
                                .optional("dataset_name", .string), .optional("dataset_digest", .string)))),
                    .optional("page_token", .string),
                ], reply: EndpointSchema.page("models", "LoggedModel"))
        ),
        (
            "logged-models/:model_id", [.get],
            .init("Get a logged model", [.optional("allow_deleted", .bool)], reply: model)
        ),
        (
            "logged-models/:model_id", [.patch],
            .init(
                "Finalize a logged model",
                [.required("status", .oneOf(LoggedModelStatus.allCases.map(\.rawValue)))], reply: model)
        ),
        ("logged-models/:model_id", [.delete], .init("Delete a logged model")),
        (
            "logged-models/:model_id/tags", [.patch],
            .init("Set tags on a logged model", [.optional("tags", tags)], reply: model)
        ),
        ("logged-models/:model_id/tags/:tag_key", [.delete], .init("Delete a logged model tag")),
        ("logged-models/:model_id/params", [.post], .init("Log params of a logged model", [.optional("params", tags)])),
    ]
}
