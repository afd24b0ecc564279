import CairnCore
import Hummingbird

/// The service endpoints MLflow's UI polls for features Cairn does not have, answered the way the
/// reference server answers when they are off: no AI gateway (`gateway-proxy` lists no
/// endpoints), no traces (`traces/metrics` counts nothing), telemetry disabled, and no assistant
/// provider.
enum MlflowUIServiceRoutes {
    static func register<Context: RequestContext>(on router: Router<Context>) {
        let v2 = router.group("ajax-api/2.0/mlflow")
        for method in [HTTPRequest.Method.get, .post] {
            v2.on("gateway-proxy", method: method) { _, _ in
                APIRoutes.json(
                    TrackingAPI.json { w in
                        w.key("endpoints"); w.array { _ in }
                    })
            }
        }
        let v3 = router.group("ajax-api/3.0/mlflow")
        v3.get("ui-telemetry") { _, _ in
            APIRoutes.json(
                TrackingAPI.json { w in
                    w.key("disable_ui_events")
                    w.array { _ in }
                    w.field("disable_ui_telemetry", true)
                    w.field("ui_rollout_percentage", Int64(0))
                })
        }
        v3.post("ui-telemetry") { _, _ in APIRoutes.json(TrackingAPI.json { $0.field("status", "disabled") }) }
        v3.get("assistant/config") { _, _ in
            APIRoutes.json(
                TrackingAPI.json { w in
                    w.key("providers")
                    w.object { _ in }
                    w.key("projects")
                    w.object { _ in }
                    w.field("remote_access_allowed", false)
                })
        }
        v3.get("assistant/providers") { _, _ in
            APIRoutes.json(
                TrackingAPI.json { w in
                    w.key("providers"); w.array { _ in }
                })
        }
        v3.post("traces/metrics") { request, context in
            let p = try await APIRoutes.params(request, context: context, maxBodySize: APIRoutes.smallBodyLimit)
            if try p.strings("experiment_ids").isEmpty { throw MlflowError.missing("experiment_ids") }
            return APIRoutes.json(
                TrackingAPI.json { w in
                    w.key("data_points"); w.array { _ in }
                })
        }
    }
}
