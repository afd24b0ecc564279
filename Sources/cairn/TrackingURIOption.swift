import ArgumentParser
import CairnClient

/// `--tracking-uri`: the one declaration of the tracking server option, shared by every command that
/// may talk to a tracking server.
struct TrackingURIOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            Tracking server URL (default: $MLFLOW_TRACKING_URI, else http://127.0.0.1:5000; `image push` and \
            `k8s manifests` do without a server instead).
            """,
            valueName: "url"))
    var trackingUri: String?

    /// The server named by `--tracking-uri` or `$MLFLOW_TRACKING_URI` (not empty), else nil: for commands that
    /// can do without a server.
    var configured: String? { TrackingClient.configuredURI(trackingUri) }

    /// The configured server, else the local default.
    var resolved: String { configured ?? TrackingClient.localDefaultURI }
}
