import CairnAuth
import CairnServiceKit

/// How the tracking server is set up.
public struct ServerConfiguration: Sendable {
    /// Where and how it listens (address, timeouts, connection cap).
    public var listener: ServiceConfiguration
    /// The folder the artifact proxy stores files in.
    public var artifactsDestination: String
    /// MLflow's own web UI to serve at `/mlflow/`, if any.
    public var mlflowUI: MlflowUIConfiguration?
    /// Users and permissions; nil serves everyone (a server on the loopback address).
    public var auth: AuthService?

    /// Creates a configuration.
    public init(
        listener: ServiceConfiguration = ServiceConfiguration(port: 5000),
        artifactsDestination: String = "./cairn-artifacts", mlflowUI: MlflowUIConfiguration? = nil,
        auth: AuthService? = nil
    ) {
        self.listener = listener
        self.artifactsDestination = artifactsDestination
        self.mlflowUI = mlflowUI
        self.auth = auth
    }
}

/// Cairn's version, reported by `/version` and `cairn --version`.
public let cairnVersion = "0.1.0"
