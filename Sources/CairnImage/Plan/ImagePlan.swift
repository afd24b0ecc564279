/// What an image holds before it is written: its layers (as entry lists) and its runtime settings.
public struct ImagePlan: Sendable {
    /// One layer to write and how to describe it in the history.
    public struct PlannedLayer: Sendable {
        /// The layer's entries.
        public var content: LayerBuilder
        /// What made it.
        public var history: ImageConfig.History

        /// Creates a planned layer.
        public init(content: LayerBuilder, history: ImageConfig.History) {
            self.content = content
            self.history = history
        }
    }

    /// The non-root user every Cairn image runs as (the distroless "nonroot" convention).
    public static let nonRootID = 65532

    /// Layers, base first.
    public var layers: [PlannedLayer] = []
    /// `uid:gid` of the process.
    public var user = "\(nonRootID):\(nonRootID)"
    /// Ports such as `8080/tcp`.
    public var exposedPorts: [String] = []
    /// `NAME=value` entries.
    public var env: [String] = []
    /// The executable and fixed arguments.
    public var entrypoint: [String] = []
    /// Default arguments (Kubernetes `args` replace them).
    public var cmd: [String] = []
    /// Declared volumes.
    public var volumes: [String] = []
    /// Working directory.
    public var workingDir: String? = nil
    /// Labels on the config, also written as manifest annotations.
    public var labels: [String: String] = [:]

    /// Creates an empty plan.
    public init() {}

    /// The config for these settings (layers are filled in when the layout is written).
    public func config(architecture: String, created: String) -> ImageConfig {
        var c = ImageConfig(architecture: architecture, created: created)
        c.user = user
        c.exposedPorts = exposedPorts
        c.env = env
        c.entrypoint = entrypoint
        c.cmd = cmd
        c.volumes = volumes
        c.workingDir = workingDir
        c.labels = labels
        return c
    }

    /// The OCI architecture name of this machine (`amd64`, `arm64`).
    public static var hostArchitecture: String {
        #if arch(x86_64)
            "amd64"
        #elseif arch(arm64)
            "arm64"
        #else
            "unknown"
        #endif
    }
}
