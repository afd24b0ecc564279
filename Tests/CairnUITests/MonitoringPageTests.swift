import CairnCore
import CairnStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CairnUI

/// The model-version monitoring page over window and alert runs as `cairn monitor` logs them.
@Suite struct MonitoringPageTests {
    @Test func chartsPerFeatureAndAlertTimelineOfOneVersion() async throws {
        try await withUIServer { client, s in
            _ = try await s.store.createRegisteredModel(name: "churn", tags: [], description: nil)
            _ = try await s.store.createModelVersion(NewModelVersion(name: "churn", source: "s3://b/m"))
            _ = try await s.store.createModelVersion(NewModelVersion(name: "churn", source: "s3://b/m2"))
            let empty = try await client.page("/models/churn/versions/1/monitoring")
            #expect(empty.status == 200 && empty.html.contains("Nothing monitored yet"))
            let exp = try await s.store.createExperiment(name: "monitor/churn", artifactLocation: nil, tags: [])
            var windowRuns: [String] = []
            for (version, count) in [("1", 4), ("2", 2)] {
                for w in 0..<count {
                    let run = try await s.store.createRun(
                        NewRun(
                            experimentId: exp, userId: "u", runName: "window \(w)", startTime: 1000 + Int64(w),
                            tags: [
                                KeyValue("cairn.kind", "monitor"), KeyValue("monitor.version", version),
                                KeyValue("monitor.window", String(w)),
                            ]))
                    let metrics = [
                        Metric(key: "drift.age.score", value: w >= 2 ? 0.8 : 0.01, timestamp: 1000, step: Int64(w)),
                        Metric(key: "drift.income <x>.score", value: 0.02, timestamp: 1000, step: Int64(w)),
                        Metric(key: "prediction.share.1", value: 0.5, timestamp: 1000, step: Int64(w)),
                        Metric(key: "latency.p99_ms", value: 12, timestamp: 1000, step: Int64(w)),
                    ]
                    try await s.store.logBatch(runId: run.info.runId, metrics: metrics, params: [], tags: [])
                    if version == "1" { windowRuns.append(run.info.runId) }
                }
            }
            let alert = try await s.store.createRun(
                NewRun(
                    experimentId: exp, userId: "u", runName: "alert", startTime: 2000,
                    tags: [
                        KeyValue("cairn.kind", "monitor-alert"), KeyValue("monitor.version", "1"),
                        KeyValue("monitor.window", "2"), KeyValue("alert.name", "data_drift"),
                        KeyValue("alert.severity", "warning"), KeyValue("alert.window_run", windowRuns[2]),
                    ]))
            let page = try await client.page("/models/churn/versions/1/monitoring")
            #expect(page.status == 200)
            #expect(page.html.contains("4 windows from experiment"))
            #expect(page.html.contains("1 alerts"))
            #expect(page.html.contains("<a href=\"/runs/\(alert.info.runId)\">data_drift</a>"))
            #expect(page.html.contains("/runs/\(windowRuns[2])/artifacts?path=monitor/report.html"))
            #expect(page.html.contains("id=\"drift-0\"") && page.html.contains("id=\"drift-1\""))
            #expect(page.html.contains("income &lt;x&gt;"))
            #expect(!page.html.contains("income <x>"))
            #expect(page.html.contains("class 1") && page.html.contains("Latency (ms)"))
            let other = try await client.page("/models/churn/versions/2/monitoring")
            #expect(other.html.contains("2 windows from experiment") && other.html.contains("No alerts."))
            let version = try await client.page("/models/churn/versions/1")
            #expect(version.html.contains("/models/churn/versions/1/monitoring"))
            let missing = try await client.page("/models/churn/versions/9/monitoring")
            #expect(missing.status == 404)
        }
    }
}
