import CairnCore
import Hummingbird

/// The request and reply schemas of the model registry endpoints in ``APIRoutes/endpoints``.
enum RegistrySchemas {
    /// A list of `{key, value}` tags.
    static let tags = TrackingSchemas.tags
    /// A model version named by model name and version number.
    static let nameVersion: [Field] = [.id("name"), .id("version")]
    /// `{"registered_model": ...}`.
    static let registeredModel = EndpointSchema.reply("registered_model", .ref("RegisteredModel"))
    /// `{"model_version": ...}`.
    static let modelVersion = EndpointSchema.reply("model_version", .ref("ModelVersion"))
    /// The fields of the registry searches.
    static let search: [Field] = [
        .optional("filter", .string), .optional("max_results", .count), .optional("order_by", .array(of: .string)),
        .optional("page_token", .string),
    ]

    /// The rows, in the shape of the route table: path, methods, schema.
    static let rows: [(String, [HTTPRequest.Method], EndpointSchema)] = [
        (
            "registered-models/create", [.post],
            .init(
                "Create a registered model",
                [.id("name"), .optional("tags", tags), .optional("description", .string)],
                reply: registeredModel
            ).producing("name", at: "/registered_model/name")
        ),
        (
            "registered-models/get", [.get],
            .init("Get a registered model", [.id("name")], reply: registeredModel)
        ),
        (
            "registered-models/rename", [.post],
            .init(
                "Rename a registered model", [.id("name"), .id("new_name")],
                reply: registeredModel)
        ),
        (
            "registered-models/update", [.patch],
            .init(
                "Update a registered model's description",
                [.id("name"), .optional("description", .string)], reply: registeredModel)
        ),
        ("registered-models/delete", [.delete], .init("Delete a registered model", [.id("name")])),
        (
            "registered-models/search", [.get],
            .init(
                "Search registered models", search, reply: EndpointSchema.page("registered_models", "RegisteredModel"))
        ),
        (
            "registered-models/get-latest-versions", [.post, .get],
            .init(
                "Get the latest version of a model per stage",
                [.id("name"), .optional("stages", .array(of: .string))],
                reply: .object(.optional("model_versions", .array(of: .ref("ModelVersion")))))
        ),
        (
            "registered-models/set-tag", [.post],
            .init(
                "Set a tag on a registered model",
                [.id("name"), .id("key"), .optional("value", .string)])
        ),
        (
            "registered-models/delete-tag", [.delete],
            .init("Delete a registered model tag", [.id("name"), .id("key")])
        ),
        (
            "registered-models/alias", [.post],
            .init("Point an alias at a model version", nameVersion + [.id("alias")])
        ),
        (
            "registered-models/alias", [.delete],
            .init("Delete an alias", [.id("name"), .id("alias")])
        ),
        (
            "registered-models/alias", [.get],
            .init(
                "Get the model version an alias points at", [.id("name"), .id("alias")],
                reply: modelVersion)
        ),
        (
            "model-versions/create", [.post],
            .init(
                "Create a model version",
                [
                    .id("name"), .id("source"), .optional("run_id", .string),
                    .optional("tags", tags), .optional("run_link", .string), .optional("description", .string),
                    .optional("model_id", .string),
                ], reply: modelVersion
            ).producing("name", at: "/model_version/name").producing("version", at: "/model_version/version")
        ),
        ("model-versions/get", [.get], .init("Get a model version", nameVersion, reply: modelVersion)),
        (
            "model-versions/update", [.patch],
            .init(
                "Update a model version's description", nameVersion + [.optional("description", .string)],
                reply: modelVersion)
        ),
        ("model-versions/delete", [.delete], .init("Delete a model version", nameVersion)),
        (
            "model-versions/search", [.get],
            .init("Search model versions", search, reply: EndpointSchema.page("model_versions", "ModelVersion"))
        ),
        (
            "model-versions/transition-stage", [.post],
            .init(
                "Move a model version to another stage",
                nameVersion + [
                    .required("stage", .oneOf(ModelStage.allCases.map(\.rawValue))),
                    .optional("archive_existing_versions", .bool),
                ], reply: modelVersion)
        ),
        (
            "model-versions/get-download-uri", [.get],
            .init(
                "Get the artifact URI of a model version", nameVersion,
                reply: .object(.optional("artifact_uri", .string)))
        ),
        (
            "model-versions/set-tag", [.post],
            .init(
                "Set a tag on a model version",
                nameVersion + [.id("key"), .required("value", .string)])
        ),
        (
            "model-versions/delete-tag", [.delete],
            .init("Delete a model version tag", nameVersion + [.id("key")])
        ),
    ]
}
