/// One point of a metric's history.
public struct Metric: Sendable, Equatable, JSONWritable {
    /// The metric name.
    public var key: String
    /// The value; NaN and ±Infinity are allowed.
    public var value: Double
    /// Wall-clock time of the measurement, ms since the epoch.
    public var timestamp: Int64
    /// The training step (may be negative).
    public var step: Int64
    /// The logged model this point belongs to, if any.
    public var modelId: String?
    /// The dataset the point was computed on, if any.
    public var datasetName: String?
    /// The digest of that dataset, if any.
    public var datasetDigest: String?
    /// The run that logged the point; only written where the API includes it.
    public var runId: String?

    /// Creates a metric point.
    public init(
        key: String, value: Double, timestamp: Int64, step: Int64, modelId: String? = nil,
        datasetName: String? = nil, datasetDigest: String? = nil, runId: String? = nil
    ) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
        self.modelId = modelId
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
        self.runId = runId
    }

    /// Whether `self` supersedes `other` as a run's latest value: the larger `(step, timestamp, value)`.
    ///
    /// NaN compares below every number, so a later real value replaces it.
    public func isLater(than other: Metric) -> Bool {
        if step != other.step { return step > other.step }
        if timestamp != other.timestamp { return timestamp > other.timestamp }
        let a = value.isNaN ? -Double.infinity : value
        let b = other.value.isNaN ? -Double.infinity : other.value
        return a > b
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("key", key)
            w.field("value", value)
            w.field("timestamp", timestamp)
            w.field("step", step)
            w.field("dataset_name", datasetName)
            w.field("dataset_digest", datasetDigest)
            w.field("model_id", modelId)
            w.field("run_id", runId)
        }
    }
}
