import Foundation

extension TrackingClient {
    /// The server a command talks to when nothing names one: MLflow's own default port on loopback.
    public static let localDefaultURI = "http://127.0.0.1:5000"

    /// The tracking server a command was pointed at: `explicit` (`--tracking-uri`), else
    /// `$MLFLOW_TRACKING_URI` when set and not empty, else nil (callers add ``localDefaultURI``
    /// where a local server is a sensible guess).
    public static func configuredURI(
        _ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        explicit ?? environment["MLFLOW_TRACKING_URI"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
