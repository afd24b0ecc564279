import Hummingbird
import HummingbirdCore
import Logging

/// How a Cairn service listens: address, body limit, connection timeouts and cap.
public struct ServiceConfiguration: Sendable {
    /// Interface to bind.
    public var host: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// Largest request body accepted, in bytes (larger ones get 413).
    public var maxBodyBytes: Int
    /// Seconds a connection may stay without a complete request head before it is closed (also the
    /// keep-alive idle time).
    public var idleTimeoutSeconds: Int
    /// Connections served at once; further ones wait in the accept backlog.
    public var maxConnections: Int

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int, maxBodyBytes: Int = 16 << 20, idleTimeoutSeconds: Int = 60,
        maxConnections: Int = 1024
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxConnections = maxConnections
    }

    /// Hummingbird's application configuration for these settings.
    public func applicationConfiguration(serverName: String) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: serverName,
            availableConnectionsDelegate: MaximumAvailableConnections(maxConnections))
    }

    /// The HTTP/1 server with the idle timeout applied; requests the HTTP parser rejects are answered
    /// in the service's error shape.
    public func server(errorShape: @escaping ServiceErrorMiddleware<BasicRequestContext>.Fallback) -> HTTPServerBuilder
    {
        .http1(
            configuration: .init(
                additionalChannelHandlers: [MalformedRequestResponder(errorShape: errorShape)],
                idleTimeout: .seconds(Int64(idleTimeoutSeconds))))
    }
}
