import CairnClient
import CairnCore
import CairnMonitor
import CairnServingCore
import Foundation

/// Logs monitoring windows and alerts as runs in the experiment `monitor/NAME`, so the UI and
/// `cairn runs compare` read them like any other run.
///
/// A window run has the window's metrics, the tags `cairn.kind=monitor`, `monitor.model`,
/// `monitor.version`, `monitor.window`, `monitor.window.start`, `monitor.window.end`, and
/// `monitor/report.json` and `monitor/report.html` as artifacts. An alert run has
/// `cairn.kind=monitor-alert`, `alert.name`, `alert.severity`, `alert.metric`, `alert.window_run` and the
/// value as metric `alert.value`.
public struct MonitorRunLogger: Sendable {
    /// The experiment name for a model: `monitor/NAME`.
    public static func experimentName(model: String) -> String { "monitor/" + model }

    let client: TrackingClient
    let model: MonitoredModel
    let experimentId: String

    /// Finds (or creates) the model's monitoring experiment.
    public init(client: TrackingClient, model: MonitoredModel) async throws {
        self.client = client
        self.model = model
        experimentId = try await client.experimentId(named: Self.experimentName(model: model.name))
    }

    static var user: String { ProcessInfo.processInfo.environment["USER"] ?? "cairn" }

    /// Logs one window; returns its run id.
    public func log(_ report: WindowReport) async throws -> String {
        let now = WallClock.nowMillis()
        let run = try await client.createRun(
            experimentId: experimentId, name: "window \(report.index)", userId: Self.user,
            startTime: report.startMillis, tags: [KeyValue("cairn.kind", "monitor")])
        let runId = run.info.runId
        do {
            let metrics = report.metrics.map {
                Metric(key: $0.name, value: $0.value, timestamp: report.endMillis, step: Int64(report.index))
            }
            var tags = [
                KeyValue("monitor.model", model.name), KeyValue("monitor.version", model.version),
                KeyValue("monitor.window", String(report.index)),
                KeyValue("monitor.window.start", RFC3339.format(millis: report.startMillis)),
                KeyValue("monitor.window.end", RFC3339.format(millis: report.endMillis)),
                KeyValue("monitor.window.first_prediction", String(report.firstPrediction)),
                KeyValue("monitor.data_drift", report.drift?.driftedColumns ?? 0 > 0 ? "true" : "false"),
            ]
            if let drift = report.drift {
                let drifted = drift.columns.filter(\.driftDetected).map(\.name).joined(separator: ",")
                tags.append(KeyValue("monitor.drifted_features", String(drifted.prefix(5000))))
            }
            if let runId = model.runId { tags.append(KeyValue("monitor.training_run", runId)) }
            for chunk in stride(from: 0, to: metrics.count, by: 900) {
                try await client.logBatch(
                    runId: runId, metrics: Array(metrics[chunk..<min(chunk + 900, metrics.count)]),
                    tags: chunk == 0 ? tags : [])
            }
            var w = JSONWriter(capacity: 4096)
            report.writeJSON(&w, model: model.name, version: model.version)
            try await upload(w.bytes, as: "monitor/report.json", run: run)
            try await upload(
                Array(WindowHTML.render(report, model: model.name, version: model.version).utf8),
                as: "monitor/report.html", run: run)
            try await client.finishRun(id: runId, status: .finished, endTime: max(now, report.endMillis))
        } catch {
            try? await client.finishRun(id: runId, status: .failed, endTime: WallClock.nowMillis())
            throw error
        }
        return runId
    }

    /// Logs one alert as a tagged run; returns its run id.
    public func log(_ event: AlertEvent, windowRun: String?) async throws -> String {
        let now = WallClock.nowMillis()
        let run = try await client.createRun(
            experimentId: experimentId, name: "alert \(event.rule.name) (window \(event.window))", userId: Self.user,
            startTime: event.windowEndMillis, tags: [KeyValue("cairn.kind", "monitor-alert")])
        var tags = [
            KeyValue("monitor.model", event.model), KeyValue("monitor.version", event.version),
            KeyValue("monitor.window", String(event.window)), KeyValue("alert.name", event.rule.name),
            KeyValue("alert.severity", event.rule.severity.rawValue), KeyValue("alert.metric", event.rule.metric),
            KeyValue("alert.op", event.rule.op.rawValue), KeyValue("alert.summary", event.rule.summary),
            KeyValue("alert.fingerprint", event.fingerprint),
            KeyValue("monitor.window.end", RFC3339.format(millis: event.windowEndMillis)),
        ]
        if let windowRun { tags.append(KeyValue("alert.window_run", windowRun)) }
        try await client.logBatch(
            runId: run.info.runId,
            metrics: [
                Metric(key: "alert.value", value: event.value, timestamp: event.windowEndMillis, step: 0),
                Metric(key: "alert.threshold", value: event.rule.threshold, timestamp: event.windowEndMillis, step: 0),
            ],
            tags: tags)
        try await client.finishRun(id: run.info.runId, status: .finished, endTime: max(now, event.windowEndMillis))
        return run.info.runId
    }

    private func upload(_ bytes: [UInt8], as path: String, run: Run) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-monitor-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await client.uploadArtifact(runArtifactUri: run.info.artifactUri, localFile: file.path, artifactPath: path)
    }
}
