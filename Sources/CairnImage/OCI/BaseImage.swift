import CairnCore
import Foundation

/// An image read from a local OCI layout (`oci:DIR:TAG`, or pulled from a registry) that a new image is built on: its layers are reused as they
/// are and its environment is kept under the new image's.
public struct BaseImage: Sendable {
    /// The base's layers, base first, with their blobs.
    public var layers: [ImageLayer]
    /// The base's config as far as a derived image keeps it.
    public var config: ImageConfig
    /// `oci:DIR:TAG` as given.
    public var reference: String
    /// The base manifest's digest.
    public var digest: Digest

    /// Reads `oci:DIR:TAG`, or pulls `docker://HOST/REPO:TAG` from its registry into a layout under `cache`
    /// first (blobs already there are not fetched again).
    public static func resolve(
        _ reference: String, registry: RegistryClient, cache: String, progress: (String) -> Void = { _ in }
    ) async throws -> BaseImage {
        guard reference.hasPrefix("docker://") else { return try load(reference) }
        let image = try ImageReference(parsing: reference)
        let folder = cache + "/bases/" + image.host.replacingOccurrences(of: ":", with: "_") + "/" + image.repository
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let layout = try OCILayout.create(at: folder)
        progress("Pulling base \(image)")
        _ = try await registry.pull(image, into: layout, tag: image.tag, progress: progress)
        var base = try load("oci:\(folder):\(image.tag)")
        base.reference = reference
        return base
    }

    /// Reads `oci:DIR:TAG` (or `oci:DIR`, tag `latest`).
    public static func load(_ reference: String) throws -> BaseImage {
        guard reference.hasPrefix("oci:") else {
            throw ImageError.invalid(
                "--base takes oci:DIR:TAG (a local OCI layout) or docker://HOST/REPO:TAG (pulled from its registry).")
        }
        let rest = String(reference.dropFirst(4))
        let (dir, tag): (String, String) =
            if let colon = rest.lastIndex(of: ":") {
                (String(rest[..<colon]), String(rest[rest.index(after: colon)...]))
            } else { (rest, "latest") }
        let layout = try OCILayout(existing: dir)
        let descriptor = try layout.manifestDescriptor(tag: tag)
        let manifest = try ImageManifest(json: try layout.readBlob(descriptor.digest))
        let configBytes = try layout.readBlob(manifest.config.digest)
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(configBytes) } catch {
            throw ImageError.malformed("base config: \(error.description)")
        }
        guard let object = parsed.objectValue, let architecture = object["architecture"]?.stringValue,
            let diffIDs = object["rootfs"]?.objectValue?["diff_ids"]?.arrayValue,
            diffIDs.count == manifest.layers.count
        else { throw ImageError.malformed("base config needs architecture and one diff_id per layer") }
        var config = ImageConfig(architecture: architecture, created: object["created"]?.stringValue ?? "")
        config.env = object["config"]?.objectValue?["Env"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var layers: [ImageLayer] = []
        for (descriptor, diffID) in zip(manifest.layers, diffIDs) {
            guard let diffText = diffID.stringValue, let diff = Digest(parsing: diffText) else {
                throw ImageError.malformed("base diff_id")
            }
            var d = descriptor
            if d.mediaType == MediaType.dockerLayerGzip { d.mediaType = MediaType.layerGzip }
            layers.append(
                ImageLayer(
                    blob: try layout.readBlob(descriptor.digest), descriptor: d, diffID: diff,
                    history: .init(createdBy: "base \(reference)", comment: "base layer"), uncompressedSize: 0))
        }
        return BaseImage(layers: layers, config: config, reference: reference, digest: descriptor.digest)
    }

    /// The base's environment with the image's entries added; an image entry replaces the base's of the same name,
    /// except `PATH`, where the image's directories come first and the base's follow (each directory once).
    public static func mergeEnvironment(_ base: [String], _ image: [String]) -> [String] {
        func name(_ entry: String) -> Substring { entry.split(separator: "=", maxSplits: 1).first ?? "" }
        var result = base
        for entry in image {
            if let i = result.firstIndex(where: { name($0) == name(entry) }) {
                if name(entry) == "PATH" {
                    var seen = Set<Substring>()
                    let dirs = (entry.dropFirst("PATH=".count) + ":" + result[i].dropFirst("PATH=".count))
                        .split(separator: ":").filter { seen.insert($0).inserted }
                    result[i] = "PATH=" + dirs.joined(separator: ":")
                } else {
                    result[i] = entry
                }
            } else {
                result.append(entry)
            }
        }
        return result
    }
}
