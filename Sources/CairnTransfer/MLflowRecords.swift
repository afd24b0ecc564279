import CairnCore

/// An experiment as MLflow stored it.
struct MLflowExperiment: Sendable, Equatable {
    /// The numeric id, kept in Cairn.
    var id: Int64
    var name: String
    /// Where its artifacts were recorded (a path, a `file:` URI or a remote URI).
    var artifactLocation: String
    var lifecycleStage: LifecycleStage
    var creationTime: Int64
    var lastUpdateTime: Int64
    var tags: [KeyValue]
}

/// One metric point as MLflow stored it.
struct MLflowMetricPoint: Sendable, Equatable {
    var key: String
    /// The value, NaN and ±infinity included.
    var value: Double
    var timestamp: Int64
    var step: Int64
}

/// A dataset a run used, with the tags of that use.
struct MLflowDatasetInput: Sendable, Equatable {
    var name: String
    var digest: String
    var sourceType: String
    var source: String
    var schema: String?
    var profile: String?
    /// Tags of the input (such as `mlflow.data.context`).
    var tags: [KeyValue]
}

/// A run with everything logged to it.
struct MLflowRun: Sendable, Equatable {
    var id: String
    var experimentId: Int64
    var name: String
    var userId: String
    var status: RunStatus
    var startTime: Int64
    var endTime: Int64?
    var artifactUri: String
    var lifecycleStage: LifecycleStage
    var params: [KeyValue]
    var tags: [KeyValue]
    /// Every point of every metric (the full history).
    var metrics: [MLflowMetricPoint]
    var datasets: [MLflowDatasetInput]
    /// Logged models the run read.
    var modelInputs: [String]
    /// Logged models the run wrote, with the step they were logged at.
    var modelOutputs: [ModelOutput]

    /// A logged model a run wrote.
    struct ModelOutput: Sendable, Equatable {
        var modelId: String
        var step: Int64
    }
}

/// A metric point recorded on a logged model.
struct MLflowModelMetric: Sendable, Equatable {
    var key: String
    var value: Double
    var timestamp: Int64
    var step: Int64
    var runId: String?
    var datasetName: String?
    var datasetDigest: String?
}

/// A logged model (MLflow 3) with its params, tags and metrics.
struct MLflowLoggedModel: Sendable, Equatable {
    var id: String
    var experimentId: Int64
    var name: String
    var artifactLocation: String
    var creationTimestamp: Int64
    var lastUpdatedTimestamp: Int64
    var status: LoggedModelStatus
    var lifecycleStage: LifecycleStage
    var modelType: String?
    var sourceRunId: String?
    var statusMessage: String?
    var params: [KeyValue]
    var tags: [KeyValue]
    var metrics: [MLflowModelMetric]
}

/// A registered model with its tags, aliases and versions.
struct MLflowRegisteredModel: Sendable, Equatable {
    var name: String
    var creationTime: Int64
    var lastUpdatedTime: Int64
    var description: String?
    var tags: [KeyValue]
    /// Alias name to version number.
    var aliases: [String: Int64]
    /// Live versions (deleted ones are not listed).
    var versions: [MLflowModelVersion]
    /// The highest version number ever given, deleted versions included, so numbers are never reused.
    var lastVersion: Int64
}

/// One version of a registered model.
struct MLflowModelVersion: Sendable, Equatable {
    var version: Int64
    var creationTime: Int64
    var lastUpdatedTime: Int64
    var description: String?
    var userId: String?
    var stage: ModelStage
    var source: String
    var runId: String?
    var status: ModelVersionStatus
    var statusMessage: String?
    var runLink: String?
    /// The logged model the version points at, where MLflow recorded one.
    var modelId: String?
    var tags: [KeyValue]
}

/// Conversions from MLflow's stored codes to Cairn's values.
enum MLflowCodes {
    /// The largest double, which MLflow's SQL store writes for +infinity (and its negation for -infinity).
    static let storedInfinity = 1.7976931348623157e308

    /// A logged model's status from MLflow's integer column (0 unspecified, 1 pending, 2 ready,
    /// 3 upload failed) or its file-store name; unspecified becomes pending (not finalized).
    static func loggedModelStatus(_ code: String) -> LoggedModelStatus? {
        switch code.uppercased() {
        case "0", "1", "UNSPECIFIED", "PENDING", "LOGGED_MODEL_STATUS_UNSPECIFIED", "LOGGED_MODEL_PENDING":
            .pending
        case "2", "READY", "LOGGED_MODEL_READY": .ready
        case "3", "FAILED", "LOGGED_MODEL_UPLOAD_FAILED": .uploadFailed
        default: nil
        }
    }

    /// A metric value from MLflow's SQL store: NaN from its flag, ±infinity from the largest double.
    static func metricValue(_ stored: Double, isNan: Bool) -> Double {
        if isNan { return .nan }
        if stored == storedInfinity { return .infinity }
        if stored == -storedInfinity { return -.infinity }
        return stored
    }

    /// A run status from its name or proto number (1–5).
    static func runStatus(_ text: String) -> RunStatus? { RunStatus(wire: text) }

    /// A version stage; nil for MLflow's internal marker of a deleted version.
    static func stage(_ text: String) -> ModelStage? { ModelStage(caseInsensitive: text) }
}
