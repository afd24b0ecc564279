import ArgumentParser
import CairnClient
import CairnCore
import CairnImage
import CairnKube
import Foundation

/// `cairn k8s manifests TARGET`: YAML for a model service (plain, canary, shadow), an Indexed batch Job, the
/// tracking server or the recognition service.
struct K8sManifestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifests",
        abstract: "Write Kubernetes manifests: model service, canary/shadow rollouts, batch Job, tracking, ASR.",
        discussion: """
            TARGET is models:/NAME/VERSION or models:/NAME@ALIAS. The image comes from --image (pinned by digest) \
            or from the version's cairn.image.ref tag that `cairn image push` recorded.

            Rollouts: inprocess runs `cairn serve --canary/--shadow` in one Deployment; istio writes a Deployment \
            per track with a DestinationRule and a VirtualService (weights, mirror); argo writes an Argo Rollouts \
            Rollout with canary steps. --batch writes an Indexed Job whose pods run `cairn predict --shard I/N`.

            --auth-secret NAME makes the servers require a token: the Secret's key 'tokens' (create it with \
            kubectl create secret generic NAME --from-file=tokens=./tokens) is mounted read-only at \
            /var/run/cairn and passed as --auth-token-file; probes and /metrics stay open.

            Examples:
              cairn k8s manifests models:/churn/3 --image reg.example.com/churn@sha256:… --output k8s/
              cairn k8s manifests models:/churn/3 --canary models:/churn/4 --canary-percent 10 --rollout istio
              cairn k8s manifests models:/churn/3 --batch --batch-input /data/in.csv --batch-output /data/out --shards 8
              cairn k8s manifests --service tracking --image reg.example.com/cairn-tracking@sha256:…
              cairn k8s manifests models:/churn/3 --auth-secret churn-tokens
            """)

    enum Service: String, ExpressibleByArgument, CaseIterable { case tracking, asr }
    enum Rollout: String, ExpressibleByArgument, CaseIterable { case inprocess, istio, argo }

    @Argument(help: "The model: models:/NAME/VERSION or models:/NAME@ALIAS (omit with --service).")
    var target: String?

    @Option(help: "Manifests for a Cairn service instead of a model: tracking or asr.")
    var service: Service?

    @Option(help: ArgumentHelp("The image, pinned by digest (HOST/REPO[:TAG]@sha256:…).", valueName: "ref"))
    var image: String?

    @Option(help: "Replicas (the autoscaler's minimum).")
    var replicas: Int?

    @Option(help: "The autoscaler's maximum.")
    var maxReplicas: Int = 10

    @Option(help: ArgumentHelp("Namespace of every object.", valueName: "ns"))
    var namespace: String?

    @Option(help: ArgumentHelp("A candidate model answering --canary-percent of traffic.", valueName: "uri"))
    var canary: String?

    @Option(help: "Share of traffic for the canary, in percent.")
    var canaryPercent: Int = 10

    @Option(
        help: ArgumentHelp(
            "An image serving the canary (istio/argo; default: the primary image on the canary URI).", valueName: "ref")
    )
    var canaryImage: String?

    @Option(help: ArgumentHelp("A model that sees a copy of every request.", valueName: "uri"))
    var shadow: String?

    @Option(help: "How canary and shadow are rolled out: inprocess, istio or argo.")
    var rollout: Rollout = .inprocess

    @Flag(help: "Write an Indexed Job for batch scoring instead of a service.")
    var batch = false

    @Option(
        help: ArgumentHelp("Batch input file inside the pods (on the data claim, mounted at /data).", valueName: "path")
    )
    var batchInput: String?

    @Option(help: ArgumentHelp("Batch output folder inside the pods; shard I writes part-I.csv.", valueName: "path"))
    var batchOutput: String?

    @Option(help: "Batch shards (Job completions).")
    var shards: Int = 4

    @Option(help: "Batch pods running at once (default: --shards).")
    var parallelism: Int?

    @Option(help: ArgumentHelp("PersistentVolumeClaim holding batch input and output.", valueName: "name"))
    var batchClaim = "cairn-batch-data"

    @Option(
        help: ArgumentHelp("Tracking server: a Secret whose key 'uri' holds the backend store URI.", valueName: "name"))
    var backendSecret: String?

    @Option(
        help: ArgumentHelp(
            "Tracking server: artifact root for new experiments (e.g. s3://bucket/mlflow).", valueName: "uri"))
    var artifactRoot: String?

    @Option(
        help: ArgumentHelp(
            "Tracking server (runs with --auth): a Secret whose key 'password' holds the first administrator's "
                + "password (default NAME-admin; optional once an administrator exists).",
            valueName: "name"))
    var adminSecret: String?

    @Option(
        help: ArgumentHelp(
            "A Secret whose key 'tokens' is the token file the model servers (or the recognition service) require; "
                + "mounted read-only and passed as --auth-token-file. Probes and /metrics stay open.",
            valueName: "name"))
    var authSecret: String?

    @Option(help: ArgumentHelp("The tracking server URL inside the cluster.", valueName: "url"))
    var clusterTrackingUri = "http://cairn-tracking:80"

    @Option(help: ArgumentHelp("Folder to write <name>.yaml into (default: standard output).", valueName: "dir"))
    var output: String?

    @OptionGroup var tracking: TrackingURIOption

    func validate() throws {
        guard (target == nil) != (service == nil) else {
            throw ValidationError("Give a model TARGET or --service tracking|asr (one of them).")
        }
        if let image, !image.contains("@sha256:") {
            throw ValidationError(
                "--image must be pinned by digest (HOST/REPO[:TAG]@sha256:…); `cairn image push` prints it.")
        }
        if let canaryImage, !canaryImage.contains("@sha256:") {
            throw ValidationError("--canary-image must be pinned by digest.")
        }
        if service != nil && image == nil { throw ValidationError("--service needs --image.") }
        if let replicas, !(1...1000).contains(replicas) { throw ValidationError("--replicas must be 1-1000.") }
        guard (1...1000).contains(maxReplicas) else { throw ValidationError("--max-replicas must be 1-1000.") }
        guard (0...100).contains(canaryPercent) else { throw ValidationError("--canary-percent must be 0-100.") }
        if let namespace, !KubeName.isValid(namespace) {
            throw ValidationError("--namespace '\(namespace)' is not a valid Kubernetes name.")
        }
        if batch {
            guard batchInput != nil, batchOutput != nil else {
                throw ValidationError("--batch needs --batch-input PATH and --batch-output DIR.")
            }
            guard (1...100_000).contains(shards) else { throw ValidationError("--shards must be 1-100000.") }
            if let parallelism, !(1...shards).contains(parallelism) {
                throw ValidationError("--parallelism must be between 1 and --shards.")
            }
        }
        if (canary != nil || shadow != nil) && batch {
            throw ValidationError("--canary and --shadow shape a service; --batch writes a Job. Pick one.")
        }
        if let authSecret {
            guard KubeName.isValid(authSecret) else {
                throw ValidationError("--auth-secret '\(authSecret)' is not a valid Kubernetes name.")
            }
            guard service != .tracking else {
                throw ValidationError(
                    "--auth-secret protects model services and --service asr; the tracking server does not check "
                        + "these tokens.")
            }
            guard !batch else {
                throw ValidationError("--auth-secret protects a service; a --batch Job serves nothing.")
            }
        }
        if rollout == .argo && shadow != nil {
            throw ValidationError("--shadow with --rollout argo needs a mesh: use --rollout istio or inprocess.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let documents: [YAMLValue]
            let name: String
            do {
                (name, documents) = try await plan()
            } catch let error as ImageError {
                throw MlflowError.invalid(error.description)
            }
            let yaml = try YAMLValue.render(documents)
            if let output {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                let path = output + "/" + name + ".yaml"
                guard FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8)) else {
                    throw MlflowError.invalid("Cannot write '\(path)'.")
                }
                FileHandle.standardError.write(Data("Wrote \(documents.count) manifests to \(path)\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(yaml.utf8))
            }
        }
    }

    func plan() async throws -> (String, [YAMLValue]) {
        switch service {
        case .tracking:
            var t = ServiceManifests.Tracking(image: image ?? "")
            t.namespace = namespace
            t.replicas = replicas ?? 1
            t.backendSecret = backendSecret
            t.adminSecret = adminSecret
            t.artifactRoot = artifactRoot
            if t.replicas > 1 && backendSecret == nil {
                throw ImageError.invalid(
                    "More than one tracking replica needs a shared backend store: --backend-secret.")
            }
            return (t.name, ServiceManifests.tracking(t))
        case .asr:
            return (
                "cairn-asr",
                ServiceManifests.asr(
                    image: image ?? "", namespace: namespace, replicas: replicas ?? 2, authSecret: authSecret)
            )
        case nil:
            break
        }
        let uri = target ?? ""
        let needsRegistry = image == nil || !DeployedModel.namesVersion(uri)
        let client = needsRegistry ? try tracking.configured.map { try TrackingClient(uri: $0) } : nil
        let model = try await DeployedModel.resolve(uri, client: client)
        guard let pinned = image ?? model.pushedImage else {
            throw ImageError.invalid(
                "\(model.name) v\(model.version) has no pushed image: run `cairn image build` and `cairn image push`, or pass --image."
            )
        }
        var options = ManifestOptions(
            name: KubeName.from(model.name), image: pinned, modelName: model.name, modelVersion: model.version)
        options.namespace = namespace
        options.replicas = replicas ?? 2
        options.maxReplicas = maxReplicas
        options.canary = canary
        options.canaryPercent = canaryPercent
        options.canaryImage = canaryImage
        options.shadow = shadow
        options.rollout = ManifestOptions.Rollout(rawValue: rollout.rawValue) ?? .inprocess
        options.trackingURI = clusterTrackingUri
        options.authSecret = authSecret
        if batch {
            let b = BatchOptions(
                input: batchInput ?? "", output: batchOutput ?? "", shards: shards, parallelism: parallelism,
                claim: batchClaim)
            return (options.name + "-batch", [BatchJobManifests.job(options, modelPath: model.modelPath, batch: b)])
        }
        return (options.name, ModelManifests.documents(options))
    }
}
