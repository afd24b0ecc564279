/// The upload status of a logged model (proto `LoggedModelStatus`).
public enum LoggedModelStatus: String, Sendable, CaseIterable {
    case pending = "LOGGED_MODEL_PENDING"
    case ready = "LOGGED_MODEL_READY"
    case uploadFailed = "LOGGED_MODEL_UPLOAD_FAILED"

    /// Parses the enum name or its proto number.
    public init?(wire: String) {
        switch wire.uppercased() {
        case "LOGGED_MODEL_PENDING", "1": self = .pending
        case "LOGGED_MODEL_READY", "2": self = .ready
        case "LOGGED_MODEL_UPLOAD_FAILED", "3": self = .uploadFailed
        default: return nil
        }
    }
}

/// A model logged by a run (MLflow 3 `LoggedModel`), with its own artifact location.
public struct LoggedModel: Sendable, Equatable, JSONWritable {
    public var modelId: String
    public var experimentId: String
    public var name: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var artifactUri: String
    public var status: LoggedModelStatus
    public var creatorId: String?
    public var modelType: String?
    public var sourceRunId: String?
    public var statusMessage: String?
    public var tags: [KeyValue]
    public var params: [KeyValue]
    public var metrics: [Metric]
    /// Registered model versions pointing at this model.
    public var registrations: [(name: String, version: String)]

    /// Creates a logged model value.
    public init(
        modelId: String, experimentId: String, name: String, creationTimestamp: Int64, lastUpdatedTimestamp: Int64,
        artifactUri: String, status: LoggedModelStatus, creatorId: String? = nil, modelType: String? = nil,
        sourceRunId: String? = nil, statusMessage: String? = nil, tags: [KeyValue] = [], params: [KeyValue] = [],
        metrics: [Metric] = [], registrations: [(name: String, version: String)] = []
    ) {
        self.modelId = modelId
        self.experimentId = experimentId
        self.name = name
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.artifactUri = artifactUri
        self.status = status
        self.creatorId = creatorId
        self.modelType = modelType
        self.sourceRunId = sourceRunId
        self.statusMessage = statusMessage
        self.tags = tags
        self.params = params
        self.metrics = metrics
        self.registrations = registrations
    }

    public static func == (a: LoggedModel, b: LoggedModel) -> Bool {
        a.modelId == b.modelId && a.experimentId == b.experimentId && a.name == b.name
            && a.creationTimestamp == b.creationTimestamp && a.lastUpdatedTimestamp == b.lastUpdatedTimestamp
            && a.artifactUri == b.artifactUri && a.status == b.status && a.creatorId == b.creatorId
            && a.modelType == b.modelType && a.sourceRunId == b.sourceRunId && a.statusMessage == b.statusMessage
            && a.tags == b.tags && a.params == b.params && a.metrics == b.metrics
            && a.registrations.map { "\($0.name)\u{0}\($0.version)" }
                == b.registrations.map { "\($0.name)\u{0}\($0.version)" }
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.key("info")
            w.object { w in
                w.field("model_id", modelId)
                w.field("experiment_id", experimentId)
                w.field("name", name)
                w.field("creation_timestamp_ms", creationTimestamp)
                w.field("last_updated_timestamp_ms", lastUpdatedTimestamp)
                w.field("artifact_uri", artifactUri)
                w.field("status", status.rawValue)
                w.field("creator_id", creatorId)
                w.field("model_type", modelType)
                w.field("source_run_id", sourceRunId)
                w.field("status_message", statusMessage)
                if !tags.isEmpty { w.field("tags", tags) }
                if !registrations.isEmpty {
                    w.key("registrations")
                    w.array { w in
                        for r in registrations {
                            w.object { w in
                                w.field("name", r.name)
                                w.field("version", r.version)
                            }
                        }
                    }
                }
            }
            w.key("data")
            w.object { w in
                if !params.isEmpty { w.field("params", params) }
                if !metrics.isEmpty { w.field("metrics", metrics) }
            }
        }
    }
}
