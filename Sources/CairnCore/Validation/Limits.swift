/// Size limits of the tracking API, matching the MLflow reference server.
public enum Limits {
    /// Longest metric, param or tag key.
    public static let entityKeyLength = 250
    /// Longest param value; longer values are truncated.
    public static let paramValueLength = 6000
    /// Longest run tag value; longer values are truncated.
    public static let runTagValueLength = 8000
    /// Longest experiment tag value (not truncated).
    public static let experimentTagValueLength = 20000
    /// Longest experiment name.
    public static let experimentNameLength = 500
    /// Most metrics in one log-batch request.
    public static let batchMetrics = 1000
    /// Most params in one log-batch request.
    public static let batchParams = 100
    /// Most tags in one log-batch request.
    public static let batchTags = 100
    /// Most entities of any kind in one log-batch request.
    public static let batchTotal = 1000
    /// Default page size of runs/search.
    public static let searchRunsDefault = 1000
    /// Largest page of runs/search and experiments/search.
    public static let searchRunsMax = 50000
    /// Largest page of metric history.
    public static let metricHistoryPage = 25000
    /// Dataset field limits.
    public static let datasetName = 500
    public static let datasetDigest = 36
    public static let datasetSource = 65535
    public static let datasetSchema = 1_048_575
    public static let datasetProfile = 16_777_215
    public static let inputTagKey = 255
    public static let inputTagValue = 500
}
