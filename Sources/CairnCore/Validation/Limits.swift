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
    /// Longest run name (MLflow's `runs.name` column).
    public static let runNameLength = 250
    /// Longest registered model name (MLflow's `registered_models.name` column).
    public static let registeredModelNameLength = 256
    /// Most `order_by` terms in one search (each metric, param or tag term is one join, and SQLite joins at
    /// most 64 tables).
    public static let orderByTerms = 20
    /// Most clauses in one search filter.
    public static let filterClauses = 200
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
