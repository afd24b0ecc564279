import ArgumentParser
import CairnClient
import CairnCore
import CairnImage
import Foundation

/// `cairn image push DIR REF`: uploads an image from an OCI layout to a registry.
struct ImagePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image from an OCI layout to a registry (OCI distribution API).",
        discussion: """
            REF is HOST[:PORT]/REPOSITORY[:TAG]. Blobs the registry has already are skipped. When the image \
            serves a registered model version (its cairn.model.* labels), the pushed reference and digest are \
            recorded on the version as cairn.image.ref and cairn.image.digest. The password is read from \
            $CAIRN_REGISTRY_PASSWORD.

            Examples:
              cairn image push ./images/churn 127.0.0.1:5055/mlops/churn:3 --insecure
              CAIRN_REGISTRY_PASSWORD=… cairn image push ./images/churn registry.example.com/mlops/churn:3 --username ci
            """)

    @Argument(help: "The OCI layout folder.")
    var layout: String

    @Argument(help: "Where to push: HOST[:PORT]/REPOSITORY[:TAG].")
    var reference: String

    @Option(
        help: ArgumentHelp("The tag in the layout to push (default: the only one, else REF's tag).", valueName: "tag"))
    var tag: String?

    @Flag(help: "Use plain HTTP (a registry on loopback or in a test).")
    var insecure = false

    @Option(help: ArgumentHelp("Registry user name (password in $CAIRN_REGISTRY_PASSWORD).", valueName: "name"))
    var username: String?

    @OptionGroup var tracking: TrackingURIOption

    func validate() throws {
        do { _ = try ImageReference(parsing: reference) } catch { throw ValidationError(error.description) }
        do { _ = try OCILayout(existing: layout) } catch { throw ValidationError(error.description) }
    }

    func run() async throws {
        try await reportingErrors {
            let environment = ProcessInfo.processInfo.environment
            let credentials = username.map {
                RegistryClient.Credentials(username: $0, password: environment["CAIRN_REGISTRY_PASSWORD"] ?? "")
            }
            let client = try tracking.configured.map { try TrackingClient(uri: $0) }
            let publisher = ImagePublisher(
                registry: RegistryClient(insecure: insecure, credentials: credentials), tracking: client)
            let result: ImagePublisher.Result
            do {
                result = try await publisher.push(
                    layout: layout, tag: tag, to: try ImageReference(parsing: reference)
                ) { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
            } catch let error as ImageError {
                throw MlflowError.invalid(error.description)
            }
            var w = JSONWriter()
            w.object { w in
                w.field("reference", result.reference)
                w.field("digest", result.digest.description)
                w.field("recorded_on_version", result.recordedOnVersion)
            }
            printJSON(w.bytes)
        }
    }
}
