import CairnClient
import CairnCore

/// Pushes a layout's image and records the pushed reference on the model version the image serves.
public struct ImagePublisher: Sendable {
    /// What a push did.
    public struct Result: Sendable {
        /// `HOST/REPO:TAG@sha256:…`.
        public var reference: String
        /// The manifest digest.
        public var digest: Digest
        /// Whether the model version got the `cairn.image.*` tags.
        public var recordedOnVersion: Bool
    }

    let registry: RegistryClient
    let tracking: TrackingClient?

    /// Creates a publisher; without `tracking`, nothing is recorded.
    public init(registry: RegistryClient, tracking: TrackingClient?) {
        self.registry = registry
        self.tracking = tracking
    }

    /// Pushes the image tagged `tag` (default: the layout's only tag, else `reference`'s) to `reference`.
    public func push(
        layout path: String, tag: String?, to reference: ImageReference, progress: (String) -> Void
    ) async throws -> Result {
        let layout = try OCILayout(existing: path)
        let tags = try layout.index().compactMap { $0.annotations[MediaType.refNameAnnotation] }
        let chosen = tag ?? (tags.count == 1 ? tags[0] : reference.tag)
        let digest = try await registry.push(layout: layout, tag: chosen, to: reference, progress: progress)
        let pushed = "\(reference)@\(digest)"
        var recorded = false
        let labels = try layout.manifest(tag: chosen).annotations
        if let tracking, let name = labels[ModelLineage.Keys.name], let text = labels[ModelLineage.Keys.version],
            let version = Int64(text), labels[ModelLineage.Keys.uri]?.hasPrefix("models:/") == true
        {
            try await tracking.setModelVersionTag(
                name: name, version: version, key: ImageBuilder.VersionTags.digest, value: digest.description)
            try await tracking.setModelVersionTag(
                name: name, version: version, key: ImageBuilder.VersionTags.reference, value: pushed)
            recorded = true
            progress("Recorded \(pushed) on \(name) v\(version)")
        }
        return Result(reference: pushed, digest: digest, recordedOnVersion: recorded)
    }
}
