import CairnClient
import CairnCore
import CairnDrift
import CairnMonitor
import Foundation

extension DriftCommand {
    /// Logs a drift run to the tracking server: one run per check, per-column scores and the share as metrics,
    /// tests and thresholds as params, the verdict as the `drift.dataset_drift` tag, and both reports as
    /// artifacts under `drift/`.
    static func log(_ report: DriftReport, to uri: String, experiment: String) async throws -> String {
        let client = try TrackingClient(uri: uri)
        let experimentId = try await client.experimentId(named: experiment)
        let now = WallClock.nowMillis()
        let user = ProcessInfo.processInfo.environment["USER"] ?? "cairn"
        let r = report.result
        let run = try await client.createRun(
            experimentId: experimentId, name: "drift " + (report.currentSource as NSString).lastPathComponent,
            userId: user, startTime: now, tags: [KeyValue("cairn.kind", "drift")])
        let runId = run.info.runId
        do {
            var metrics = [
                Metric(key: "drift.share", value: r.driftShare, timestamp: now, step: 0),
                Metric(key: "drift.drifted_columns", value: Double(r.driftedColumns), timestamp: now, step: 0),
            ]
            var params = [
                KeyValue("drift.reference", String(report.referenceSource.suffix(250))),
                KeyValue("drift.current", String(report.currentSource.suffix(250))),
                KeyValue("drift.correction", r.correction.rawValue),
            ]
            for c in r.columns {
                let key = metricName(c.name)
                if c.score.isFinite {
                    metrics.append(Metric(key: "drift.\(key).score", value: c.score, timestamp: now, step: 0))
                }
                params.append(KeyValue("drift.\(key).test", c.test.rawValue))
                params.append(KeyValue("drift.\(key).threshold", String(c.threshold)))
            }
            let tags = [
                KeyValue("drift.dataset_drift", r.datasetDrift ? "true" : "false"),
                KeyValue("drift.drifted_columns", r.columns.filter(\.driftDetected).map(\.name).joined(separator: ",")),
            ]
            try await client.logBatch(runId: runId, metrics: metrics, params: params, tags: tags)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "cairn-drift-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let json = folder.appendingPathComponent("report.json")
            let html = folder.appendingPathComponent("report.html")
            try ReportJSON.data(report).write(to: json)
            try Data(HTMLReport.render(report).utf8).write(to: html)
            try await client.uploadArtifact(
                runArtifactUri: run.info.artifactUri, localFile: json.path, artifactPath: "drift/report.json")
            try await client.uploadArtifact(
                runArtifactUri: run.info.artifactUri, localFile: html.path, artifactPath: "drift/report.html")
            try await client.finishRun(
                id: runId, status: .finished, endTime: WallClock.nowMillis())
        } catch {
            try? await client.finishRun(id: runId, status: .failed, endTime: WallClock.nowMillis())
            throw error
        }
        return runId
    }

    /// A metric-safe version of a column name (MLflow keys allow letters, digits, `_ - . /` and spaces).
    static func metricName(_ name: String) -> String {
        String(name.map { ch in ch.isLetter || ch.isNumber || "_-./ ".contains(ch) ? ch : "_" })
    }
}
