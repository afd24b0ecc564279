import CairnCore
import CairnMonitor
import CairnServingCore
import Prometheus
import Synchronization

/// The monitor inside `cairn serve`: reads the prediction log as the server writes it, cuts windows,
/// and publishes each window's metrics and the alert rules' state as gauges on the server's `/metrics`
/// (the same `cairn_monitor_*` names as `cairn monitor --metrics-port`). Logging windows as runs,
/// webhooks and `on_fire` commands stay with `cairn monitor`.
///
/// ```swift
/// let monitor = try ServeMonitor(settings: settings, rules: AlertRule.defaults, model: model, registry: registry)
/// monitor.observe(Array("{\"ts\":…}\n".utf8))
/// ```
public final class ServeMonitor: PredictionLogObserver {
    private struct State {
        var monitor: PredictionMonitor
        var alerts: AlertEvaluator
        var windows = 0
    }

    private let state: Mutex<State>
    private let metrics: MonitorMetrics
    /// The watched model.
    public let model: MonitoredModel

    /// Validates the settings and publishes into `registry`.
    public init(
        settings: MonitorSettings, rules: [AlertRule], model: MonitoredModel, registry: PrometheusCollectorRegistry
    ) throws {
        var settings = settings
        settings.model = model.name
        settings.version = model.version
        state = Mutex(
            State(
                monitor: try PredictionMonitor(settings: settings),
                alerts: AlertEvaluator(rules: rules, model: model.name, version: model.version)))
        metrics = MonitorMetrics(registry: registry)
        self.model = model
    }

    /// Windows closed so far.
    public var windows: Int { state.withLock { $0.windows } }

    public func observe(_ lines: [UInt8]) {
        var start = lines.startIndex
        var reports: [WindowReport] = []
        state.withLock { s in
            while start < lines.endIndex {
                let end = lines[start...].firstIndex(of: UInt8(ascii: "\n")) ?? lines.endIndex
                if end > start, let closed = s.monitor.add(line: lines[start..<end]) { reports += closed }
                start = end + 1
            }
            for report in reports { publish(report, &s) }
        }
    }

    public func tick(nowMillis: Int64) {
        state.withLock { s in
            if let report = s.monitor.closeIfExpired(nowMillis: nowMillis) { publish(report, &s) }
        }
    }

    private func publish(_ report: WindowReport, _ s: inout State) {
        s.windows += 1
        metrics.update(report, model: model.name, version: model.version)
        let raised = s.alerts.evaluate(report)
        metrics.alerts(s.alerts, model: model.name, version: model.version)
        for event in raised { metrics.fired(event) }
    }
}
