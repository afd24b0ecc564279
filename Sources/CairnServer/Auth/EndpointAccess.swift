import CairnCore
import Hummingbird

/// What a caller must hold to call an API endpoint, and how the resource is found in the request.
///
/// Experiments, runs and logged models are guarded by their experiment's grant; registry calls by the
/// registered model's. Creating an experiment or a model needs only a signed-in user (who then holds
/// `MANAGE` on it); searches need only a signed-in user and return what the caller may read.
enum EndpointAccess: Sendable, Equatable {
    case anyUser
    case admin
    /// The experiment named by the id in `field`.
    case experiment(Capability, field: String)
    /// The experiment named by `experiment_name`.
    case experimentByName(Capability)
    /// Every experiment listed in `field`.
    case experiments(Capability, field: String)
    /// The experiment of the run in `run_id` (or `run_uuid`).
    case run(Capability)
    /// The experiments of the runs in `run_ids`.
    case runs(Capability)
    /// The experiment of the logged model in the path.
    case loggedModel(Capability)
    /// The registered model in `name`.
    case registeredModel(Capability)

    /// The requirement of every endpoint of ``APIRoutes/endpoints``, keyed by `METHOD path`. A route
    /// missing here is for administrators only (a test checks that none is missing).
    static let table: [String: EndpointAccess] = [
        "POST experiments/create": .anyUser,
        "GET experiments/get": .experiment(.read, field: "experiment_id"),
        "GET experiments/get-by-name": .experimentByName(.read),
        "POST experiments/search": .anyUser,
        "GET experiments/search": .anyUser,
        "POST experiments/update": .experiment(.update, field: "experiment_id"),
        "POST experiments/delete": .experiment(.delete, field: "experiment_id"),
        "POST experiments/restore": .experiment(.delete, field: "experiment_id"),
        "POST experiments/set-experiment-tag": .experiment(.update, field: "experiment_id"),
        "POST experiments/delete-experiment-tag": .experiment(.update, field: "experiment_id"),
        "POST runs/create": .experiment(.update, field: "experiment_id"),
        "GET runs/get": .run(.read),
        "POST runs/update": .run(.update),
        "POST runs/delete": .run(.delete),
        "POST runs/restore": .run(.delete),
        "POST runs/search": .experiments(.read, field: "experiment_ids"),
        "GET runs/search": .experiments(.read, field: "experiment_ids"),
        "POST runs/log-metric": .run(.update),
        "POST runs/log-parameter": .run(.update),
        "POST runs/set-tag": .run(.update),
        "POST runs/delete-tag": .run(.update),
        "POST runs/log-batch": .run(.update),
        "POST runs/log-inputs": .run(.update),
        "POST runs/outputs": .run(.update),
        "GET metrics/get-history": .run(.read),
        "GET metrics/get-history-bulk-interval": .runs(.read),
        "POST logged-models": .experiment(.update, field: "experiment_id"),
        "POST logged-models/search": .experiments(.read, field: "experiment_ids"),
        "GET logged-models/:model_id": .loggedModel(.read),
        "PATCH logged-models/:model_id": .loggedModel(.update),
        "DELETE logged-models/:model_id": .loggedModel(.delete),
        "PATCH logged-models/:model_id/tags": .loggedModel(.update),
        "DELETE logged-models/:model_id/tags/:tag_key": .loggedModel(.update),
        "POST logged-models/:model_id/params": .loggedModel(.update),
        "POST registered-models/create": .anyUser,
        "GET registered-models/get": .registeredModel(.read),
        "POST registered-models/rename": .registeredModel(.update),
        "PATCH registered-models/update": .registeredModel(.update),
        "DELETE registered-models/delete": .registeredModel(.delete),
        "GET registered-models/search": .anyUser,
        "POST registered-models/get-latest-versions": .registeredModel(.read),
        "GET registered-models/get-latest-versions": .registeredModel(.read),
        "POST registered-models/set-tag": .registeredModel(.update),
        "DELETE registered-models/delete-tag": .registeredModel(.update),
        "POST registered-models/alias": .registeredModel(.update),
        "DELETE registered-models/alias": .registeredModel(.update),
        "GET registered-models/alias": .registeredModel(.read),
        "POST model-versions/create": .registeredModel(.update),
        "GET model-versions/get": .registeredModel(.read),
        "PATCH model-versions/update": .registeredModel(.update),
        "DELETE model-versions/delete": .registeredModel(.delete),
        "GET model-versions/search": .anyUser,
        "POST model-versions/transition-stage": .registeredModel(.update),
        "GET model-versions/get-download-uri": .registeredModel(.read),
        "POST model-versions/set-tag": .registeredModel(.update),
        "DELETE model-versions/delete-tag": .registeredModel(.update),
    ]

    /// The requirement of one endpoint (administrators only when the table has no entry).
    static func of(path: String, method: HTTPRequest.Method) -> EndpointAccess {
        table["\(method.rawValue) \(path)"] ?? .admin
    }
}

/// The API calls the audit log records, with the kind of resource and the field naming it.
enum AuditedEndpoint {
    static let table: [String: (type: String, field: String, details: [String])] = [
        "POST experiments/create": ("experiment", "name", []),
        "POST experiments/update": ("experiment", "experiment_id", ["new_name"]),
        "POST experiments/delete": ("experiment", "experiment_id", []),
        "POST experiments/restore": ("experiment", "experiment_id", []),
        "POST runs/delete": ("run", "run_id", []),
        "POST runs/restore": ("run", "run_id", []),
        "DELETE logged-models/:model_id": ("logged_model", "model_id", []),
        "POST registered-models/create": ("registered_model", "name", []),
        "POST registered-models/rename": ("registered_model", "name", ["new_name"]),
        "DELETE registered-models/delete": ("registered_model", "name", []),
        "POST registered-models/alias": ("registered_model", "name", ["alias", "version"]),
        "DELETE registered-models/alias": ("registered_model", "name", ["alias"]),
        "POST model-versions/create": ("registered_model", "name", ["source", "run_id"]),
        "DELETE model-versions/delete": ("registered_model", "name", ["version"]),
        "POST model-versions/transition-stage": ("registered_model", "name", ["version", "stage"]),
    ]

    /// The audit entry of a successful call, or nil when the call is not audited.
    static func event(path: String, method: HTTPRequest.Method, params: RequestParams) -> (
        action: String, type: String, id: String, detail: String
    )? {
        guard let spec = table["\(method.rawValue) \(path)"] else { return nil }
        let id = ((try? params.string(spec.field)) ?? nil) ?? ""
        let detail = spec.details.compactMap { key -> String? in
            guard let value = (try? params.string(key)) ?? nil else { return nil }
            return "\(key)=\(value)"
        }.joined(separator: " ")
        let action = method == .delete && path == "registered-models/alias" ? "registered-models/delete-alias" : path
        return (action, spec.type, id, detail)
    }
}
