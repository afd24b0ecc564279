/// How the manifests of a model service are written: image, scale, rollout and batch settings.
public struct ManifestOptions: Sendable {
    /// How a canary or shadow is rolled out.
    public enum Rollout: String, Sendable, CaseIterable {
        /// `cairn serve --canary/--shadow` inside one Deployment.
        case inprocess
        /// One Deployment per track, Istio `DestinationRule` subsets and a `VirtualService` with weights / mirror.
        case istio
        /// An Argo Rollouts `Rollout` with canary steps.
        case argo
    }

    /// The object name (a DNS-1123 label).
    public var name: String
    /// The image, by digest (`HOST/REPO@sha256:…` or `HOST/REPO:TAG@sha256:…`).
    public var image: String
    /// The model's name and version (ConfigMap, labels).
    public var modelName: String
    /// The model's version.
    public var modelVersion: String
    /// Namespace, when set.
    public var namespace: String?
    /// Replicas (and the autoscaler's minimum).
    public var replicas = 2
    /// The autoscaler's maximum.
    public var maxReplicas = 10
    /// A candidate model URI answering `canaryPercent` of traffic.
    public var canary: String?
    /// Share of traffic for the canary, in percent.
    public var canaryPercent = 10
    /// An image that serves the canary (istio/argo); default: the primary image started on the canary URI.
    public var canaryImage: String?
    /// A model URI that sees a copy of every request.
    public var shadow: String?
    /// How the canary and shadow are rolled out.
    public var rollout = Rollout.inprocess
    /// The tracking server URL inside the cluster (for canary/shadow URIs that pods fetch from the registry).
    public var trackingURI = "http://cairn-tracking:5000"
    /// Seconds a pod may take to drain in-flight requests after SIGTERM.
    public var terminationGraceSeconds = 30
    /// A Secret whose key `tokens` is the token file every model server requires
    /// (`--auth-token-file`); nil leaves the endpoints open.
    public var authSecret: String?

    /// Creates options for a model service.
    public init(name: String, image: String, modelName: String, modelVersion: String) {
        self.name = name
        self.image = image
        self.modelName = modelName
        self.modelVersion = modelVersion
    }
}

/// Settings of a batch-scoring Indexed Job.
public struct BatchOptions: Sendable {
    /// Input file path inside the pod (on the data volume).
    public var input: String
    /// Output folder inside the pod; shard I writes `part-I.<ext>`.
    public var output: String
    /// Number of shards (completions).
    public var shards: Int
    /// Pods running at once.
    public var parallelism: Int
    /// The PersistentVolumeClaim mounted at `/data` holding input and output.
    public var claim: String
    /// Retries before the Job fails.
    public var backoffLimit = 6

    /// Creates batch settings.
    public init(input: String, output: String, shards: Int, parallelism: Int? = nil, claim: String) {
        self.input = input
        self.output = output
        self.shards = shards
        self.parallelism = parallelism ?? shards
        self.claim = claim
    }
}
