/// How the tracking server is set up.
public struct ServerConfiguration: Sendable {
    /// Interface to bind (default loopback).
    public var host: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// The folder the artifact proxy stores files in.
    public var artifactsDestination: String
    /// MLflow's own web UI to serve at `/mlflow/`, if any.
    public var mlflowUI: MlflowUIConfiguration?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 5000, artifactsDestination: String = "./cairn-artifacts",
        mlflowUI: MlflowUIConfiguration? = nil
    ) {
        self.host = host
        self.port = port
        self.artifactsDestination = artifactsDestination
        self.mlflowUI = mlflowUI
    }
}

/// Cairn's version, reported by `/version` and `cairn --version`.
public let cairnVersion = "0.1.0"
