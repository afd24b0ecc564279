import Prometheus

/// The service's Prometheus metrics: traffic, latency, real-time factor and the input and output
/// signals a speech pipeline's monitoring watches (loudness, clip length, empty transcripts).
public final class RecognitionMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry = PrometheusCollectorRegistry()
    private let latency: ValueHistogram
    private let realTimeFactor: ValueHistogram
    private let loudness: ValueHistogram
    private let clipDuration: ValueHistogram
    private let empty: Counter
    private let audioSeconds: Counter
    private let busy: Gauge
    private let decoders: Gauge

    public init(decoders count: Int) {
        latency = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_request_duration_seconds",
                helpText: "Time to decode one request (queueing and decoding), in seconds."),
            buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        realTimeFactor = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_real_time_factor",
                helpText: "Processing time divided by audio duration, per request."),
            buckets: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5])
        loudness = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_input_loudness_dbfs", helpText: "RMS level of each request's audio in dBFS."),
            buckets: [-70, -60, -50, -40, -35, -30, -25, -20, -15, -10, -5, 0])
        clipDuration = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_clip_duration_seconds", helpText: "Duration of each request's audio in seconds."),
            buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60])
        empty = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_empty_transcripts_total", helpText: "Requests whose transcript was empty."))
        audioSeconds = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_audio_seconds_total", helpText: "Seconds of audio decoded."))
        busy = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_decoders_busy", helpText: "Decoders decoding right now."))
        decoders = registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "cairn_asr_decoders", helpText: "Decoders in the pool."))
        decoders.set(Double(count))
    }

    /// Counts a finished request by HTTP status.
    public func countRequest(status: Int) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "cairn_asr_requests_total", helpText: "Recognition requests by HTTP status."),
            labels: [("status", String(status))]
        ).increment()
    }

    /// Records a decoded utterance.
    public func recordRecognition(
        audioSeconds duration: Double, processingSeconds: Double, loudnessDBFS: Double, transcript: String
    ) {
        latency.record(processingSeconds)
        if duration > 0 { realTimeFactor.record(processingSeconds / duration) }
        loudness.record(loudnessDBFS)
        clipDuration.record(duration)
        audioSeconds.increment(by: duration)
        if transcript.isEmpty { empty.increment() }
    }

    /// Publishes how many decoders are busy (read from the pool when `/metrics` is rendered).
    public func setBusy(_ count: Int) { busy.set(Double(count)) }

    /// The metrics in the Prometheus text exposition format.
    public func render() -> String { registry.emitToString() }
}
