import CairnClient
import CairnCore

/// The registered model version a deployment serves, with the pushed image recorded on it (if any).
public struct DeployedModel: Sendable, Equatable {
    /// The registered name.
    public var name: String
    /// The version number as text.
    public var version: String
    /// `HOST/REPO:TAG@sha256:…` from the version's `cairn.image.ref` tag, when the image was pushed.
    public var pushedImage: String?

    /// Creates the facts.
    public init(name: String, version: String, pushedImage: String?) {
        self.name = name
        self.version = version
        self.pushedImage = pushedImage
    }

    /// The path of the model's files inside its image.
    public var modelPath: String {
        ImagePlan.modelPath(ModelLineage(name: name, version: version, uri: "", runtime: ""))
    }

    /// Whether `uri` is `models:/NAME/VERSION` (readable without the registry).
    public static func namesVersion(_ uri: String) -> Bool {
        if case .version? = try? ModelURI(parsing: uri) { return true }
        return false
    }

    /// Reads `models:/NAME/VERSION` without a server; other forms are resolved through the registry.
    public static func resolve(_ uri: String, client: TrackingClient?) async throws -> DeployedModel {
        let parsed: ModelURI
        do { parsed = try ModelURI(parsing: uri) } catch {
            throw ImageError.invalid("Deployments name a registered model: models:/NAME/VERSION or models:/NAME@ALIAS.")
        }
        guard let client else {
            if case .version(let name, let version) = parsed {
                return DeployedModel(name: name, version: String(version), pushedImage: nil)
            }
            throw ImageError.invalid("'\(uri)' needs the registry to find its version: pass --tracking-uri.")
        }
        guard let version = try await ModelResolver(lookup: client).resolve(parsed).version else {
            throw ImageError.invalid("'\(uri)' is not a registered model version: use models:/NAME/VERSION.")
        }
        let ref = version.tags.first { $0.key == ImageBuilder.VersionTags.reference }?.value
        return DeployedModel(
            name: version.name, version: String(version.version),
            pushedImage: ref.flatMap { $0.contains("@sha256:") && !$0.hasPrefix("oci:") ? $0 : nil })
    }
}
