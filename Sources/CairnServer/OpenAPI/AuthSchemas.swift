import Hummingbird

/// The request and reply schemas of the user and permission endpoints in ``AuthRoutes``.
enum AuthSchemas {
    /// `{id, username, is_admin}`.
    static let user = Schema.object(
        .optional("id", .int64), .optional("username", .string), .optional("is_admin", .bool))
    /// A user's grants as MLflow 3.17.2 lists them (each grant as a row of the user's own role).
    static let permissions = Schema.object(
        .optional("is_admin", .bool),
        .optional(
            "permissions",
            .array(
                of: .object(
                    .optional("role_id", .int64), .optional("role_name", .string), .optional("workspace", .string),
                    .optional("resource_type", .string), .optional("resource_pattern", .string),
                    .optional("permission", .string)))))
    /// The levels a grant may name.
    static let level = Schema.oneOf(["READ", "USE", "EDIT", "MANAGE", "DENY", "NO_PERMISSIONS"])
    /// A grant's resource.
    static let resource: [Field] = [
        .required("resource_type", .oneOf(["experiment", "registered_model", "workspace"])), .id("resource_id"),
    ]

    /// One MLflow 2.x per-resource permission: `{KEY: {ID_FIELD, user_id, permission}}`.
    static func legacy(_ key: String, _ idField: String) -> Schema {
        EndpointSchema.reply(
            key, .object(.optional(idField, .string), .optional("user_id", .int64), .optional("permission", .string)))
    }

    /// The rows under `/api/2.0/mlflow`, in the shape of ``AuthRoutes/endpoints``.
    static let rows: [(String, [HTTPRequest.Method], EndpointSchema)] = [
        (
            "users/create", [.post],
            .init(
                "Create a user (administrators)", [.id("username"), .id("password")],
                reply: EndpointSchema.reply("user", user))
        ),
        ("users/get", [.get], .init("Get a user", [.id("username")], reply: EndpointSchema.reply("user", user))),
        (
            "users/current", [.get],
            .init("The signed-in user", reply: .object(.optional("user", user), .optional("is_basic_auth", .bool)))
        ),
        (
            "users/list", [.get],
            .init("List users (administrators)", reply: EndpointSchema.reply("users", .array(of: user)))
        ),
        (
            "users/update-password", [.patch],
            .init(
                "Set a user's password",
                [.id("username"), .id("password"), .optional("current_password", .string)])
        ),
        (
            "users/update-admin", [.patch],
            .init("Make a user an administrator or not", [.id("username"), .required("is_admin", .bool)])
        ),
        ("users/delete", [.delete], .init("Delete a user", [.id("username")])),
        (
            "experiments/permissions/create", [.post],
            .init(
                "Grant a user a level on an experiment (MLflow 2.x)",
                [.id("experiment_id"), .id("username"), .required("permission", level)],
                reply: legacy("experiment_permission", "experiment_id"))
        ),
        (
            "experiments/permissions/get", [.get],
            .init(
                "A user's grant on an experiment (MLflow 2.x)", [.id("experiment_id"), .id("username")],
                reply: legacy("experiment_permission", "experiment_id"))
        ),
        (
            "experiments/permissions/update", [.patch],
            .init(
                "Change a user's level on an experiment (MLflow 2.x)",
                [.id("experiment_id"), .id("username"), .required("permission", level)],
                reply: legacy("experiment_permission", "experiment_id"))
        ),
        (
            "experiments/permissions/delete", [.delete],
            .init("Remove a user's grant on an experiment (MLflow 2.x)", [.id("experiment_id"), .id("username")])
        ),
        (
            "registered-models/permissions/create", [.post],
            .init(
                "Grant a user a level on a registered model (MLflow 2.x)",
                [.id("name"), .id("username"), .required("permission", level)],
                reply: legacy("registered_model_permission", "name"))
        ),
        (
            "registered-models/permissions/get", [.get],
            .init(
                "A user's grant on a registered model (MLflow 2.x)", [.id("name"), .id("username")],
                reply: legacy("registered_model_permission", "name"))
        ),
        (
            "registered-models/permissions/update", [.patch],
            .init(
                "Change a user's level on a registered model (MLflow 2.x)",
                [.id("name"), .id("username"), .required("permission", level)],
                reply: legacy("registered_model_permission", "name"))
        ),
        (
            "registered-models/permissions/delete", [.delete],
            .init("Remove a user's grant on a registered model (MLflow 2.x)", [.id("name"), .id("username")])
        ),
    ]

    /// The rows under `/api/3.0/mlflow`, in the shape of ``AuthRoutes/endpointsV3``.
    static let rowsV3: [(String, [HTTPRequest.Method], EndpointSchema)] = [
        (
            "users/permissions/grant", [.post],
            .init("Grant a user a level on a resource", [.id("username")] + resource + [.required("permission", level)])
        ),
        ("users/permissions/revoke", [.post], .init("Remove a user's grant", [.id("username")] + resource)),
        (
            "users/permissions/get", [.get],
            .init(
                "A user's effective level on a resource", [.id("username")] + resource,
                reply: .object(.optional("allowed", .bool), .optional("permission", .string)))
        ),
        ("users/permissions/list", [.get], .init("A user's grants", [.id("username")], reply: permissions)),
        ("users/current/permissions", [.get], .init("The signed-in user's grants", reply: permissions)),
    ]
}
