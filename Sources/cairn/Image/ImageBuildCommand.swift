import ArgumentParser
import CairnClient
import CairnCore
import CairnImage
import CairnServing
import Foundation

/// `cairn image build TARGET --output DIR`: writes an OCI image layout for a model or a service.
struct ImageBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a reproducible OCI image of a model (or of the tracking or ASR service) into a layout folder.",
        discussion: """
            TARGET is models:/NAME/VERSION (or @ALIAS, /STAGE), runs:/RUN_ID/PATH or a local model folder. The \
            image has the cairn binary (with its loader and shared libraries when it is dynamically linked), the \
            model under /models/NAME/VERSION, runs `cairn serve` on 0.0.0.0:8080 as uid 65532, and carries the \
            model's lineage as labels. The manifest digest and `oci:DIR:TAG` are recorded on the model version \
            as the tags cairn.image.digest and cairn.image.ref.

            Entries are sorted, owned by root and stamped with SOURCE_DATE_EPOCH (default 0), so the same input \
            gives the same manifest digest. Models with a Python runtime need --base oci:DIR:TAG or \
            docker://HOST/REPO:TAG holding Python: the model's requirements.txt is installed for the base's Python \
            and platform by the host's pip (wheels only, cached) into a layer at /opt/cairn/site-packages, on \
            PYTHONPATH. --no-install-requirements uses the base as it is.

            Examples:
              cairn image build models:/churn/3 --output ./images/churn
              cairn image build --service tracking --output ./images/tracking --tag 0.9
              skopeo inspect oci:./images/churn:3
            """)

    enum Service: String, ExpressibleByArgument, CaseIterable {
        case tracking, asr
    }

    @Argument(help: "The model to package (omit with --service).")
    var target: String?

    @Option(
        help: ArgumentHelp(
            "The OCI layout folder to write (created; an existing layout gets the tag added).", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("Tag in the layout (default: the model version, or latest).", valueName: "tag"))
    var tag: String?

    @Option(help: "Package a Cairn service instead of a model: tracking or asr.")
    var service: Service?

    @Option(
        help: ArgumentHelp(
            "Base image for Python-runtime models: oci:DIR:TAG, or docker://HOST/REPO:TAG pulled from its registry.",
            valueName: "ref"))
    var base: String?

    @Flag(help: "Pull a docker:// base over plain HTTP (a registry on loopback or in a test).")
    var baseInsecure = false

    @Option(
        help: ArgumentHelp(
            "User name for the docker:// base's registry (password in $CAIRN_REGISTRY_PASSWORD).", valueName: "name"))
    var baseUsername: String?

    @Flag(help: "Use the Python base as it is: do not install the model's requirements into a layer.")
    var noInstallRequirements = false

    @Option(
        help: ArgumentHelp(
            "Host Python whose pip downloads the requirements' wheels for the base (default: python3).",
            valueName: "path"))
    var hostPython: String?

    @Option(help: ArgumentHelp("The cairn executable to package (default: this one).", valueName: "path"))
    var binary: String?

    @Option(help: ArgumentHelp("The cairn-asr executable (default: next to the cairn executable).", valueName: "path"))
    var asrBinary: String?

    @Option(help: ArgumentHelp("Folder for downloaded models.", valueName: "dir"))
    var cache: String?

    @OptionGroup var tracking: TrackingURIOption

    func validate() throws {
        guard (target == nil) != (service == nil) else {
            throw ValidationError("Give a model TARGET or --service tracking|asr (one of them).")
        }
        if let target, !ModelFetcher.isLocalFolder(target) {
            do { _ = try ModelURI(parsing: target) } catch { throw ValidationError(error.message) }
        }
        if let tag, !ImageTagRule.isValid(tag) {
            throw ValidationError("--tag '\(tag)' is not a valid tag: letters, digits, '_', '.', '-', at most 128.")
        }
        if let base {
            if base.hasPrefix("docker://") {
                do { _ = try ImageReference(parsing: base) } catch { throw ValidationError("--base: \(error)") }
            } else if !base.hasPrefix("oci:") {
                throw ValidationError("--base takes oci:DIR:TAG or docker://HOST/REPO:TAG.")
            }
        }
        if (baseInsecure || baseUsername != nil) && !(base?.hasPrefix("docker://") ?? false) {
            throw ValidationError("--base-insecure and --base-username apply to a docker://HOST/REPO:TAG base.")
        }
        if (noInstallRequirements || hostPython != nil) && base == nil {
            throw ValidationError(
                "--no-install-requirements and --host-python apply to a Python model built on --base.")
        }
        if SourceDateEpoch.value(ProcessInfo.processInfo.environment) == nil {
            throw ValidationError("SOURCE_DATE_EPOCH must be a non-negative integer (seconds since 1970).")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let environment = ProcessInfo.processInfo.environment
            let needsServer = target.map { !ModelFetcher.isLocalFolder($0) } ?? false
            let client = needsServer ? try TrackingClient(uri: tracking.resolved) : nil
            let executable = binary ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let buildTarget: ImageBuilder.Target =
                switch service {
                case .tracking: .tracking
                case .asr: .asr
                case nil: .model(target ?? "")
                }
            var request = ImageBuilder.Request(target: buildTarget, output: output, cairn: executable)
            request.tag = tag
            request.base = base
            request.baseRegistry = RegistryClient(
                insecure: baseInsecure,
                credentials: baseUsername.map {
                    RegistryClient.Credentials(username: $0, password: environment["CAIRN_REGISTRY_PASSWORD"] ?? "")
                })
            request.cairnASR = asrBinary
            request.installRequirements = !noInstallRequirements
            if let hostPython { request.hostPython = hostPython }
            request.epoch = SourceDateEpoch.value(environment) ?? 0
            if let cache { request.cache = cache }
            let result: ImageBuilder.Result
            do {
                result = try await ImageBuilder(client: client).build(request) {
                    FileHandle.standardError.write(Data("\($0)\n".utf8))
                }
            } catch let error as ImageError {
                throw MlflowError.invalid(error.description)
            }
            if result.taggedVersion {
                FileHandle.standardError.write(
                    Data("Recorded cairn.image.digest and cairn.image.ref on the version\n".utf8))
            }
            var w = JSONWriter()
            w.object { w in
                w.field("reference", result.reference)
                w.field("digest", result.image.manifest.digest.description)
                w.field("compressed_bytes", Int64(result.image.compressedSize))
            }
            printJSON(w.bytes)
        }
    }
}
