/// An experiment: a named group of runs sharing an artifact location.
public struct Experiment: Sendable, Equatable, JSONWritable {
    /// The integer id, as a string.
    public var experimentId: String
    /// The unique name.
    public var name: String
    /// The root URI under which the experiment's runs keep their artifacts.
    public var artifactLocation: String
    /// Active or deleted.
    public var lifecycleStage: LifecycleStage
    /// Creation time, ms since the epoch.
    public var creationTime: Int64
    /// Last update time, ms since the epoch.
    public var lastUpdateTime: Int64
    /// Experiment tags.
    public var tags: [KeyValue]

    /// Creates an experiment value.
    public init(
        experimentId: String, name: String, artifactLocation: String, lifecycleStage: LifecycleStage,
        creationTime: Int64, lastUpdateTime: Int64, tags: [KeyValue]
    ) {
        self.experimentId = experimentId
        self.name = name
        self.artifactLocation = artifactLocation
        self.lifecycleStage = lifecycleStage
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
        self.tags = tags
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("experiment_id", experimentId)
            w.field("name", name)
            w.field("artifact_location", artifactLocation)
            w.field("lifecycle_stage", lifecycleStage.rawValue)
            w.field("last_update_time", lastUpdateTime)
            w.field("creation_time", creationTime)
            if !tags.isEmpty { w.field("tags", tags) }
        }
    }
}
