/// The status of a run (proto `RunStatus`).
public enum RunStatus: String, Sendable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"

    /// Parses the enum name or its proto number (1–5).
    public init?(wire: String) {
        switch wire.uppercased() {
        case "RUNNING", "1": self = .running
        case "SCHEDULED", "2": self = .scheduled
        case "FINISHED", "3": self = .finished
        case "FAILED", "4": self = .failed
        case "KILLED", "5": self = .killed
        default: return nil
        }
    }
}

/// A run's metadata (proto `RunInfo`).
public struct RunInfo: Sendable, Equatable, JSONWritable {
    public var runId: String
    public var runName: String
    public var experimentId: String
    public var userId: String
    public var status: RunStatus
    public var startTime: Int64
    /// Absent while the run has not ended.
    public var endTime: Int64?
    public var artifactUri: String
    public var lifecycleStage: LifecycleStage

    /// Creates run metadata.
    public init(
        runId: String, runName: String, experimentId: String, userId: String, status: RunStatus,
        startTime: Int64, endTime: Int64?, artifactUri: String, lifecycleStage: LifecycleStage
    ) {
        self.runId = runId
        self.runName = runName
        self.experimentId = experimentId
        self.userId = userId
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.artifactUri = artifactUri
        self.lifecycleStage = lifecycleStage
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("run_id", runId)
            w.field("run_uuid", runId)
            w.field("run_name", runName)
            w.field("experiment_id", experimentId)
            w.field("user_id", userId)
            w.field("status", status.rawValue)
            w.field("start_time", startTime)
            w.field("end_time", endTime)
            w.field("artifact_uri", artifactUri)
            w.field("lifecycle_stage", lifecycleStage.rawValue)
        }
    }
}

/// A dataset recorded as a run input.
public struct Dataset: Sendable, Equatable, JSONWritable {
    public var name: String
    public var digest: String
    public var sourceType: String
    public var source: String
    public var schema: String?
    public var profile: String?

    /// Creates a dataset description.
    public init(name: String, digest: String, sourceType: String, source: String, schema: String?, profile: String?) {
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("name", name)
            w.field("digest", digest)
            w.field("source_type", sourceType)
            w.field("source", source)
            w.field("schema", schema)
            w.field("profile", profile)
        }
    }
}

/// A dataset used by a run, with input tags such as `mlflow.data.context`.
public struct DatasetInput: Sendable, Equatable, JSONWritable {
    public var tags: [KeyValue]
    public var dataset: Dataset

    /// Creates a dataset input.
    public init(tags: [KeyValue], dataset: Dataset) {
        self.tags = tags
        self.dataset = dataset
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("tags", tags)
            w.field("dataset", dataset)
        }
    }
}

/// A logged model a run consumed (`model_inputs`) or produced at a step (`model_outputs`).
public struct ModelReference: Sendable, Equatable, JSONWritable {
    public var modelId: String
    /// The step for outputs; nil for inputs.
    public var step: Int64?

    /// Creates a reference.
    public init(modelId: String, step: Int64? = nil) {
        self.modelId = modelId
        self.step = step
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("model_id", modelId)
            w.field("step", step)
        }
    }
}

/// A run with its data, inputs and outputs (proto `Run`).
public struct Run: Sendable, Equatable, JSONWritable {
    public var info: RunInfo
    /// The latest value of each metric.
    public var metrics: [Metric]
    public var params: [KeyValue]
    public var tags: [KeyValue]
    public var datasetInputs: [DatasetInput]
    public var modelInputs: [ModelReference]
    public var modelOutputs: [ModelReference]

    /// Creates a run value.
    public init(
        info: RunInfo, metrics: [Metric] = [], params: [KeyValue] = [], tags: [KeyValue] = [],
        datasetInputs: [DatasetInput] = [], modelInputs: [ModelReference] = [], modelOutputs: [ModelReference] = []
    ) {
        self.info = info
        self.metrics = metrics
        self.params = params
        self.tags = tags
        self.datasetInputs = datasetInputs
        self.modelInputs = modelInputs
        self.modelOutputs = modelOutputs
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("info", info)
            w.key("data")
            w.object { w in
                if !metrics.isEmpty { w.field("metrics", metrics) }
                if !params.isEmpty { w.field("params", params) }
                if !tags.isEmpty { w.field("tags", tags) }
            }
            w.key("inputs")
            w.object { w in
                if !datasetInputs.isEmpty { w.field("dataset_inputs", datasetInputs) }
                if !modelInputs.isEmpty { w.field("model_inputs", modelInputs) }
            }
            w.key("outputs")
            w.object { w in
                if !modelOutputs.isEmpty { w.field("model_outputs", modelOutputs) }
            }
        }
    }
}
