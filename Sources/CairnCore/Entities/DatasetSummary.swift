/// A dataset used by the runs of an experiment, in one input context (e.g. `training`).
public struct DatasetSummary: Sendable, Equatable, JSONWritable {
    /// The experiment whose runs used the dataset.
    public var experimentId: String
    /// The dataset's name.
    public var name: String
    /// The dataset's digest.
    public var digest: String
    /// The value of the input's `mlflow.data.context` tag, if it has one.
    public var context: String?

    /// Creates a summary.
    public init(experimentId: String, name: String, digest: String, context: String?) {
        self.experimentId = experimentId
        self.name = name
        self.digest = digest
        self.context = context
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("experiment_id", experimentId)
            w.field("name", name)
            w.field("digest", digest)
            w.field("context", context)
        }
    }
}
