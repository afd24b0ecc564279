/// What the registry knows about the model an image serves; it becomes the image's labels and annotations.
public struct ModelLineage: Sendable, Equatable {
    /// The model's name (registered name, or folder name for a local model).
    public var name: String
    /// Its version.
    public var version: String
    /// The URI it was resolved from.
    public var uri: String
    /// The run that produced it.
    public var runId: String?
    /// The git commit of that run's source.
    public var gitCommit: String?
    /// The digest of the run's training data.
    public var dataDigest: String?
    /// `native` or `python`.
    public var runtime: String

    /// Creates lineage facts.
    public init(
        name: String, version: String, uri: String, runId: String? = nil, gitCommit: String? = nil,
        dataDigest: String? = nil, runtime: String
    ) {
        self.name = name
        self.version = version
        self.uri = uri
        self.runId = runId
        self.gitCommit = gitCommit
        self.dataDigest = dataDigest
        self.runtime = runtime
    }

    /// Label keys, as written on images and read back by `cairn image push`.
    public enum Keys {
        /// The model's name.
        public static let name = "cairn.model.name"
        /// The model's version.
        public static let version = "cairn.model.version"
        /// The URI the model came from.
        public static let uri = "cairn.model.uri"
        /// The producing run.
        public static let runId = "cairn.run.id"
        /// The source commit.
        public static let gitCommit = "cairn.git.commit"
        /// The training data digest.
        public static let dataDigest = "cairn.data.digest"
        /// `native` or `python`.
        public static let runtime = "cairn.model.runtime"
    }

    /// The labels: Cairn's keys plus the OCI title, version and revision.
    public var labels: [String: String] {
        var l = [
            Keys.name: name, Keys.version: version, Keys.uri: uri, Keys.runtime: runtime,
            "org.opencontainers.image.title": name, "org.opencontainers.image.version": version,
        ]
        if let runId { l[Keys.runId] = runId }
        if let gitCommit {
            l[Keys.gitCommit] = gitCommit
            l["org.opencontainers.image.revision"] = gitCommit
        }
        if let dataDigest { l[Keys.dataDigest] = dataDigest }
        return l
    }
}
