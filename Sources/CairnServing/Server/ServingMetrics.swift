import CairnServingCore
import Prometheus

/// The scoring server's Prometheus metrics.
public final class ServingMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    private let inFlight: Gauge
    private let shadowDropped: Counter
    private let logDropped: Counter
    private let rollbacks: Counter
    private let switches: Counter
    private let canaryShare: Gauge

    static let latencyBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ]

    public init() {
        inFlight = registry.makeGauge(
            descriptor: .init(metricName: "cairn_serve_in_flight_requests", helpText: "Requests being answered now."))
        shadowDropped = registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_shadow_dropped_total",
                helpText: "Requests not mirrored to the shadow model because its queue was full."))
        logDropped = registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_prediction_log_dropped_total",
                helpText: "Prediction records not written (queue full or write failed)."))
        rollbacks = registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_canary_rollbacks_total",
                helpText: "Times the canary broke its limits and was taken out of traffic."))
        switches = registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_model_switches_total",
                helpText: "Blue/green switches to a new version after the watched alias moved."))
        canaryShare = registry.makeGauge(
            descriptor: .init(
                metricName: "cairn_serve_canary_percent", helpText: "Share of traffic sent to the canary."))
    }

    /// Counts an answered request and records its latency.
    public func request(model: String, version: String, role: PredictionRecord.Role, status: Int, seconds: Double) {
        registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_requests_total",
                helpText: "Scoring requests by model, version, role and status."),
            labels: [("model", model), ("version", version), ("role", role.rawValue), ("status", String(status))]
        ).increment()
        registry.makeValueHistogram(
            descriptor: .init(
                metricName: "cairn_serve_request_duration_seconds", helpText: "Time to answer a scoring request."),
            labels: [("model", model), ("version", version), ("role", role.rawValue)],
            buckets: Self.latencyBuckets
        ).record(seconds)
    }

    /// Records a model call's size.
    public func batch(label: String, rows: Int, requests: Int) {
        registry.makeValueHistogram(
            descriptor: .init(
                metricName: "cairn_serve_batch_rows", helpText: "Rows per model call (micro-batches combine requests)."),
            labels: [("model", label)], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]
        ).record(Double(rows))
        registry.makeValueHistogram(
            descriptor: .init(metricName: "cairn_serve_batch_requests", helpText: "Requests combined per model call."),
            labels: [("model", label)], buckets: [1, 2, 4, 8, 16, 32, 64, 128]
        ).record(Double(requests))
    }

    /// Counts labels received on `POST /feedback` for the model that answered.
    public func labels(model: String, count: Int) {
        registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_feedback_labels_total", unitName: "",
                helpText: "Ground-truth labels received on POST /feedback and written to the prediction log."),
            labels: [("model", model)]
        ).increment(by: Int64(count))
    }

    /// Counts a replaced worker.
    public func workerRestart(label: String) {
        registry.makeCounter(
            descriptor: .init(
                metricName: "cairn_serve_worker_restarts_total",
                helpText: "Model workers replaced after a crash or hang."),
            labels: [("model", label)]
        ).increment()
    }

    /// Records how long loading a model took and marks it loaded.
    public func loaded(model: String, version: String, role: PredictionRecord.Role, seconds: Double) {
        registry.makeGauge(
            descriptor: .init(
                metricName: "cairn_serve_model_load_seconds", helpText: "Seconds it took to load the model."),
            labels: [("model", model), ("version", version)]
        ).set(seconds)
        setServing(model: model, version: version, role: role, true)
    }

    /// Marks a model version as serving (1) or retired (0) in a role.
    public func setServing(model: String, version: String, role: PredictionRecord.Role, _ serving: Bool) {
        registry.makeGauge(
            descriptor: .init(
                metricName: "cairn_serve_model_loaded", helpText: "1 while a model version serves in a role."),
            labels: [("model", model), ("version", version), ("role", role.rawValue)]
        ).set(serving ? 1.0 : 0.0)
    }

    public func inFlightChanged(by delta: Int) { delta > 0 ? inFlight.increment() : inFlight.decrement() }
    public func shadowDrop() { shadowDropped.increment() }
    public func logDrop(_ n: Int) { logDropped.increment(by: Int64(n)) }
    public func rollback() { rollbacks.increment() }
    public func switched() { switches.increment() }
    public func canaryPercent(_ p: Double) { canaryShare.set(p) }
}
