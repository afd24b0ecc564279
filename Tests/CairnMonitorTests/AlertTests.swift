import CairnCore
import CairnDrift
import Foundation
import Testing

@testable import CairnMonitor

@Suite struct AlertTests {
    func window(_ index: Int, share: Double, p99: Double = 5, minutes: Int64 = 1) -> WindowReport {
        let start = 1_765_000_000_000 + Int64(index) * minutes * 60_000
        return WindowReport(
            index: index, startMillis: start, endMillis: start + minutes * 60_000, firstPrediction: index * 100,
            predictions: 100, requests: 1, errors: 0, latencyP50: 1, latencyP99: p99,
            drift: DatasetDrift.verdict(
                columns: ["a", "b"].enumerated().map { i, name in
                    ColumnDriftResult(
                        name: name, type: .numeric, test: .psi, score: i == 0 && share > 0 ? 0.5 : 0.01,
                        threshold: 0.1, driftDetected: i == 0 && share > 0, referenceCount: 10, currentCount: 10)
                }),
            predictionDrift: nil, predictionMean: nil, missingShare: 0, outOfRangeShare: 0, labels: 0, accuracy: nil,
            meanAbsoluteError: nil, conceptDrift: [])
    }

    @Test func forWindowsAndCooldown() throws {
        let rule = try AlertRule(
            name: "drift", metric: "drift.share", op: .greaterOrEqual, threshold: 0.5, forWindows: 2,
            cooldownSeconds: 600)
        var evaluator = AlertEvaluator(rules: [rule], model: "m", version: "1")
        let shares = [0.0, 0.5, 0.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
        var fired: [Int] = []
        for (i, s) in shares.enumerated() {
            for e in evaluator.evaluate(window(i, share: s)) { fired.append(e.window) }
        }
        // Held twice first at window 4; again once 10 minutes of log time have passed.
        #expect(fired == [4, 14])
        #expect(evaluator.active(0))
        _ = evaluator.evaluate(window(16, share: 0))
        #expect(!evaluator.active(0))
    }

    @Test func defaultsAndFile() throws {
        #expect(
            AlertRule.defaults.map(\.name) == [
                "data_drift", "prediction_drift", "concept_drift", "error_rate", "latency_p99",
            ])
        let yaml = """
            include_defaults: true
            rules:
              - name: latency_p99
                metric: latency.p99_ms
                op: ">"
                threshold: 250
                for: 3
                severity: critical
                cooldown: 30m
                on_fire: echo "$CAIRN_ALERT_NAME"
              - name: age_drift
                metric: drift.age.score
                threshold: 0.2
            """
        let rules = try AlertRuleFile.parse(yaml)
        #expect(
            rules.map(\.name) == [
                "data_drift", "prediction_drift", "concept_drift", "error_rate", "latency_p99", "age_drift",
            ])
        let latency = rules[4]
        #expect(latency.threshold == 250 && latency.forWindows == 3 && latency.severity == .critical)
        #expect(latency.cooldownSeconds == 1800 && latency.onFire == "echo \"$CAIRN_ALERT_NAME\"")
        #expect(rules[5].op == .greaterOrEqual && rules[5].cooldownSeconds == 3600)
    }

    @Test(arguments: [
        ("rules: []", "no rules"),
        ("rules:\n  - metric: x\n    threshold: 1", "needs a name"),
        ("rules:\n  - name: a\n    threshold: 1", "needs a metric"),
        ("rules:\n  - name: a\n    metric: x", "threshold"),
        ("rules:\n  - name: a\n    metric: x\n    threshold: 1\n    op: '=~'", "op '=~'"),
        ("rules:\n  - name: a\n    metric: x\n    threshold: 1\n    severity: page", "severity 'page'"),
        ("rules:\n  - name: a\n    metric: x\n    threshold: 1\n    cooldown: soon", "cooldown 'soon'"),
        ("rules:\n  - name: a b\n    metric: x\n    threshold: 1", "alert name"),
        ("rules:\n  - name: a\n    metric: x\n    threshold: 1\n    for: 0", "'for'"),
        (
            "rules:\n  - name: a\n    metric: x\n    threshold: 1\n  - name: a\n    metric: y\n    threshold: 2",
            "two rules"
        ),
        ("[1, 2", "not a rules file"),
    ])
    func badRuleFiles(yaml: String, fragment: String) {
        do {
            _ = try AlertRuleFile.parse(yaml)
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.description.contains(fragment), "\(error.description)")
        }
    }

    @Test func prometheusRules() throws {
        let text = PrometheusRules.render(AlertRule.defaults, windowSeconds: 300)
        #expect(text.hasPrefix("groups:\n  - name: \"cairn-monitor\"\n    rules:\n"))
        #expect(
            text.contains(
                "      - alert: data_drift\n        expr: \"cairn_monitor_drift_drifted_columns >= 1\"\n        labels:"
            ))
        #expect(text.contains("expr: \"cairn_monitor_error_rate > 0.05\"\n        for: 5m\n"))
        #expect(text.contains("expr: \"cairn_monitor_latency_p99_ms > 1000\"\n        for: 10m\n"))
        #expect(PrometheusRules.quote("a\"b\\c\n") == #""a\"b\\c\n""#)
        #expect(AlertRule.gaugeName("drift.age-band.score") == "cairn_monitor_drift_age_band_score")
    }

    @Test func alertmanagerPayload() throws {
        let rule = AlertRule.defaults[0]
        let event = AlertEvent(
            rule: rule, model: "churn", version: "3", window: 7, windowStartMillis: 0, windowEndMillis: 60_000, value: 2
        )
        let json = try JSONParser.parse(
            AlertmanagerPayload.render(event, link: "http://x/runs/1", externalURL: "http://x"))
        #expect(json["version"]?.text == "4" && json["status"]?.text == "firing")
        #expect(json["receiver"]?.text == "cairn-monitor")
        let alert = try #require(json["alerts"]?.arrayValue?.first)
        #expect(alert["labels"]?["alertname"]?.text == "data_drift")
        #expect(alert["labels"]?["model"]?.text == "churn" && alert["labels"]?["version"]?.text == "3")
        #expect(alert["startsAt"]?.text == "1970-01-01T00:01:00.000Z")
        #expect(alert["generatorURL"]?.text == "http://x/runs/1")
        #expect(alert["fingerprint"]?.text == event.fingerprint && event.fingerprint.count == 16)
        var other = event
        other.window = 9
        #expect(other.fingerprint == event.fingerprint)
        other.version = "4"
        #expect(other.fingerprint != event.fingerprint)
    }
}
