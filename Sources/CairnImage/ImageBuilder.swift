import CairnClient
import CairnCore
import CairnServing
import Foundation

/// Builds an image from a model URI or for one of Cairn's services, writes it as an OCI layout and records the
/// image on the model version.
///
/// ```swift
/// let builder = ImageBuilder(client: try TrackingClient(uri: "http://127.0.0.1:5000"))
/// var request = ImageBuilder.Request(target: .model("models:/churn/3"), output: "out/churn", cairn: "/usr/bin/cairn")
/// let result = try await builder.build(request) { print($0) }
/// // result.manifest.digest → sha256:…; tags cairn.image.digest / cairn.image.ref are set on churn v3
/// ```
public struct ImageBuilder: Sendable {
    /// What to package.
    public enum Target: Sendable, Equatable {
        /// A model service from `models:/…`, `runs:/…` or a local model folder.
        case model(String)
        /// The tracking server.
        case tracking
        /// The speech-recognition service.
        case asr
    }

    /// One build.
    public struct Request: Sendable {
        /// What to package.
        public var target: Target
        /// The layout folder.
        public var output: String
        /// The tag in `index.json` (default: the model version, or `latest`).
        public var tag: String?
        /// `oci:DIR:TAG` or `docker://HOST/REPO:TAG` of a base image (needed for Python-runtime models).
        public var base: String?
        /// How a `docker://` base is fetched (plain HTTP, credentials).
        public var baseRegistry = RegistryClient(insecure: false, credentials: nil)
        /// The `cairn` executable to package.
        public var cairn: String
        /// The `cairn-asr` executable (for `.asr`; default: next to `cairn`).
        public var cairnASR: String?
        /// Seconds since 1970 for every mtime and `created` (`SOURCE_DATE_EPOCH`).
        public var epoch: Int64 = 0
        /// The model cache folder.
        public var cache: String = ModelFetcher.defaultCache
        /// Whether a Python-runtime model's requirements are installed into a layer (else the base must hold them).
        public var installRequirements = true
        /// The host interpreter whose pip downloads the requirements' wheels for the base.
        public var hostPython = "python3"
        /// pocketsphinx's model files.
        public var pocketsphinxModels = "/usr/share/pocketsphinx"

        /// Creates a request.
        public init(target: Target, output: String, cairn: String) {
            self.target = target
            self.output = output
            self.cairn = cairn
        }
    }

    /// What a build produced.
    public struct Result: Sendable {
        /// The written image.
        public var image: ImageAssembler.Result
        /// The tag it carries.
        public var tag: String
        /// `oci:DIR:TAG` with an absolute folder.
        public var reference: String
        /// The model it serves, for model targets.
        public var lineage: ModelLineage?
        /// Whether the image was recorded on a registered model version.
        public var taggedVersion: Bool
    }

    /// Tag keys written on model versions.
    public enum VersionTags {
        /// `sha256:…` of the image manifest.
        public static let digest = "cairn.image.digest"
        /// Where the image is: `oci:DIR:TAG`, or `HOST/REPO:TAG@sha256:…` after a push.
        public static let reference = "cairn.image.ref"
    }

    let client: TrackingClient?

    /// Creates a builder; `client` is needed for `models:/` and `runs:/` targets.
    public init(client: TrackingClient?) {
        self.client = client
    }

    /// Builds the image; `progress` hears one line per step.
    public func build(_ request: Request, progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        let output = URL(fileURLWithPath: request.output).standardizedFileURL.path
        let created = ImageConfig.timestamp(epoch: request.epoch)
        var lineage: ModelLineage?
        var version: ModelVersion?
        let plan: ImagePlan
        var base: BaseImage?
        switch request.target {
        case .model(let uri):
            let fetched = try await ModelFetcher(client: client, cache: request.cache).fetch(uri, progress: progress)
            version = try await registeredVersion(uri)
            var facts = try await self.lineage(fetched: fetched, version: version)
            facts.runtime = await ModelRuntimeCheck.runtime(folder: fetched.folder)
            progress("Model \(fetched.label) (\(facts.runtime) runtime) from \(fetched.folder)")
            if facts.runtime == "python" {
                guard let reference = request.base else { throw ImageError.pythonBaseNeeded(model: fetched.label) }
                base = try await BaseImage.resolve(
                    reference, registry: request.baseRegistry, cache: request.cache, progress: progress)
                progress("Base \(reference): \(base?.layers.count ?? 0) layers")
            }
            let libraries = try BinaryDependencies.resolve(binary: request.cairn)
            progress(libraryNote(request.cairn, libraries))
            var modelPlan = try ImagePlan.model(
                cairn: request.cairn, libraries: libraries, folder: fetched.folder, lineage: facts, created: created,
                onBase: base != nil)
            if let base, request.installRequirements {
                try addRequirements(
                    to: &modelPlan, folder: fetched.folder, model: fetched.label, source: uri, base: base,
                    request: request, progress: progress)
            }
            plan = modelPlan
            lineage = facts
        case .tracking:
            let libraries = try BinaryDependencies.resolve(binary: request.cairn)
            progress(libraryNote(request.cairn, libraries))
            plan = try ImagePlan.tracking(cairn: request.cairn, libraries: libraries, created: created)
        case .asr:
            let asr = request.cairnASR ?? (request.cairn as NSString).deletingLastPathComponent + "/cairn-asr"
            guard FileManager.default.isExecutableFile(atPath: asr) else {
                throw ImageError.invalid(
                    "No cairn-asr executable at '\(asr)'; build it (swift build) or pass --asr-binary.")
            }
            let libraries = try BinaryDependencies.resolve(binary: asr)
            progress(libraryNote(asr, libraries))
            plan = try ImagePlan.asr(
                cairnASR: asr, libraries: libraries, modelFolder: request.pocketsphinxModels, created: created)
        }
        let tag = request.tag ?? lineage.map { ImagePlan.safeComponent($0.version) } ?? "latest"
        let layout = try OCILayout.create(at: output)
        let image = try ImageAssembler.write(plan, base: base, to: layout, tag: tag, epoch: request.epoch) {
            progress($0)
        }
        let reference = "oci:\(output):\(tag)"
        progress("Image \(reference) manifest \(image.manifest.digest), \(image.compressedSize) bytes compressed")
        var tagged = false
        if let version, let client {
            try await client.setModelVersionTag(
                name: version.name, version: version.version, key: VersionTags.digest,
                value: image.manifest.digest.description)
            try await client.setModelVersionTag(
                name: version.name, version: version.version, key: VersionTags.reference, value: reference)
            tagged = true
        }
        return Result(image: image, tag: tag, reference: reference, lineage: lineage, taggedVersion: tagged)
    }

    /// The registered version a `models:/` URI names, if any.
    func registeredVersion(_ uri: String) async throws -> ModelVersion? {
        guard let client, uri.hasPrefix("models:/") else { return nil }
        return try await ModelResolver(lookup: client).resolve(try ModelURI(parsing: uri)).version
    }

    /// Lineage from the version's run: commit tag and the digest of the data it trained on.
    func lineage(fetched: FetchedModel, version: ModelVersion?) async throws -> ModelLineage {
        var facts = ModelLineage(name: fetched.name, version: fetched.version, uri: fetched.uri, runtime: "python")
        var runId = version?.runId
        if runId == nil, fetched.uri.hasPrefix("runs:/") {
            runId = fetched.uri.dropFirst("runs:/".count).split(separator: "/").first.map(String.init)
        }
        facts.runId = runId
        if let runId, let client, let run = try? await client.run(id: runId) {
            facts.gitCommit = run.tags.first { $0.key == "mlflow.source.git.commit" }?.value
            let inputs = run.datasetInputs
            let data =
                inputs.first { $0.tags.contains { $0.key == "mlflow.data.context" && $0.value == "cairn.data" } }
                ?? inputs.first
            facts.dataDigest = data?.dataset.digest
        }
        return facts
    }

    func libraryNote(_ binary: String, _ libraries: [String]) -> String {
        libraries.isEmpty
            ? "\(binary) is statically linked: no libraries to copy"
            : "\(binary) is dynamically linked: copying the loader and \(libraries.count - 1) libraries"
    }
}
