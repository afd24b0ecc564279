import CairnAuth
import CairnCore
import CairnServiceKit
import CairnStore
import CairnUI
import Hummingbird
import Logging

/// Builds the HTTP router: the MLflow API, the artifact proxy, the service routes and the web UI at `/`.
///
/// The `cairn server` command and the tests both go through this function. With `mlflowUI`, MLflow's
/// own web UI is served at `/mlflow/` as well. With `auth`, every route but health, version and sign-in
/// needs a user (Basic), a token (Bearer) or a UI session, and each call is checked against the user's
/// permissions.
public func buildRouter<Context: RequestContext>(
    context: Context.Type = BasicRequestContext.self, store: any MetadataStore, artifacts: LocalArtifactStore,
    mlflowUI: MlflowUIConfiguration? = nil, auth: AuthService? = nil
) -> Router<Context> {
    let router = Router(context: Context.self)
    router.add(middleware: MlflowErrorMiddleware<Context>())
    router.add(middleware: AuthMiddleware<Context>(auth: auth))
    let api = TrackingAPI(store: store, auth: auth)
    APIRoutes.register(on: router, api: api)
    AuthRoutes(api: api).register(on: router)
    ArtifactRoutes(artifacts: artifacts, store: store, access: api.access).register(on: router)
    registerMlflowCompatibility(on: router, api: api, artifacts: artifacts, mlflowUI: mlflowUI)
    UIRoutes(store: store, artifacts: artifacts, auth: auth).register(on: router)
    router.get("health") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "OK")))
    }
    router.get(RouterPath(OpenAPIDocument.servedPath)) { _, _ in APIRoutes.json(OpenAPIDocument.bytes) }
    router.get("version") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: cairnVersion)))
    }
    for prefix in ["api/3.0/mlflow", "ajax-api/3.0/mlflow"] {
        router.get(RouterPath(prefix + "/server-info")) { _, _ in
            APIRoutes.json(
                TrackingAPI.json { w in
                    w.field("store_type", "SqlStore")
                    w.field("workspaces_enabled", false)
                    w.field("trace_archival_enabled", false)
                    w.field("multipart_uploads_enabled", false)
                    w.field("multipart_downloads_enabled", false)
                    w.field("presigned_upload_run_id_supported", false)
                    w.field("presigned_upload_model_id_supported", false)
                    w.key("features_enabled")
                    w.object { $0.field("gateway", false) }
                })
        }
    }
    return router
}

/// Builds the complete tracking server application.
public func buildApplication(
    configuration: ServerConfiguration, store: any MetadataStore, artifacts: LocalArtifactStore, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(
        context: CairnRequestContext.self, store: store, artifacts: artifacts, mlflowUI: configuration.mlflowUI,
        auth: configuration.auth)
    return makeServiceApplication(
        router: router, configuration: configuration.listener, serverName: "cairn",
        errorShape: { status, message in
            MlflowError(status.code == 404 ? .endpointNotFound : .badRequest, message).with(status: status)
        }, logger: logger, onServerRunning: onServerRunning)
}
