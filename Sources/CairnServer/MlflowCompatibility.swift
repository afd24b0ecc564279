import CairnStore
import Hummingbird

/// Registers the endpoints MLflow's web UI calls beyond the REST API — artifact downloads,
/// uploads, bulk histories, dataset summaries, GraphQL and the disabled-feature service calls —
/// and, when `mlflowUI` is given, MLflow's own UI at `/mlflow/`.
func registerMlflowCompatibility<Context: RequestContext>(
    on router: Router<Context>, api: TrackingAPI, artifacts: LocalArtifactStore, mlflowUI: MlflowUIConfiguration?
) {
    let store = api.store
    MlflowUIRoutes(store: store, artifacts: artifacts, access: api.access).register(on: router)
    GraphQLRoutes(store: store, access: api.access).register(on: router)
    MlflowUIServiceRoutes.register(on: router)
    if let mlflowUI {
        let api = buildRouter(context: Context.self, store: store, artifacts: artifacts, auth: api.access.auth)
            .buildResponder()
        MlflowWebUI(configuration: mlflowUI, api: api).register(on: router)
    }
}
