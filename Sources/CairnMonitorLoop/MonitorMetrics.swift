import CairnMonitor
import Prometheus

/// The monitor's Prometheus gauges: every window metric as `cairn_monitor_<metric>` (``AlertRule/gaugeName(_:)``)
/// labelled `model` and `version`, `cairn_monitor_alert_active` per rule, and counters of windows,
/// predictions and alerts.
public final class MonitorMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry

    /// Publishes into `registry` (a new one by default; `cairn serve` passes its own).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Publishes a closed window's metrics.
    public func update(_ report: WindowReport, model: String, version: String) {
        let labels = [("model", model), ("version", version)]
        for (name, value) in report.metrics {
            registry.makeGauge(
                descriptor: .init(
                    metricName: AlertRule.gaugeName(name), unitName: "", helpText: "Latest monitoring window's \(name)."
                ),
                labels: labels
            ).set(value)
        }
        registry.makeCounter(
            descriptor: .init(metricName: "cairn_monitor_windows_total", unitName: "", helpText: "Windows closed."),
            labels: labels
        ).increment()
        registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_monitor_predictions_total", unitName: "", helpText: "Predictions read."),
            labels: labels
        ).increment(by: Int64(report.predictions))
    }

    /// Publishes whether each rule's condition holds after the latest window.
    public func alerts(_ evaluator: AlertEvaluator, model: String, version: String) {
        for (i, rule) in evaluator.rules.enumerated() {
            registry.makeGauge(
                descriptor: .init(
                    metricName: "cairn_monitor_alert_active", unitName: "",
                    helpText: "1 while a rule's condition holds for its 'for' windows."),
                labels: [
                    ("alertname", rule.name), ("severity", rule.severity.rawValue), ("model", model),
                    ("version", version),
                ]
            ).set(evaluator.active(i) ? 1.0 : 0.0)
        }
    }

    /// Counts a raised alert.
    public func fired(_ event: AlertEvent) {
        registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_monitor_alerts_total", unitName: "", helpText: "Alerts raised, by rule."),
            labels: [("alertname", event.rule.name), ("model", event.model), ("version", event.version)]
        ).increment()
    }
}
