import CairnServiceKit
import Foundation
import Hummingbird
import Logging

/// Serves the monitor's gauges on `/metrics` while the loop runs.
public enum MonitorMetricsServer {
    /// Runs `body` while `GET /metrics` is served on `host:port`. With `untilSignal` the server runs until
    /// SIGINT/SIGTERM and then cancels `body` (a followed log); otherwise the server stops when `body` ends.
    public static func serving<T: Sendable>(
        _ metrics: MonitorMetrics, host: String, port: Int, untilSignal: Bool,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let router = Router()
        router.addMetrics(metrics.registry)
        var logger = Logger(label: "cairn-monitor")
        logger.logLevel = .warning
        let configuration = ServiceConfiguration(host: host, port: port)
        try configuration.checkPortIsFree()
        let app = makeServiceApplication(
            router: router, configuration: configuration, serverName: "cairn-monitor", logger: logger,
            onServerRunning: { port in
                FileHandle.standardError.write(Data("metrics on http://\(host):\(port)/metrics\n".utf8))
            })
        let work = Task { try await body() }
        let server = Task { try await runService(app, host: host, port: port) }
        if untilSignal {
            _ = await server.result
            work.cancel()
            return try await work.value
        }
        let result = await work.result
        server.cancel()
        _ = await server.result
        return try result.get()
    }
}
