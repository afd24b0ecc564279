import CairnCore
import Foundation

/// An OCI image layout on disk: `oci-layout`, `index.json` (one descriptor per tag) and `blobs/sha256/<hex>`.
///
/// ```swift
/// let layout = try OCILayout.create(at: "out/image")
/// let manifest = try layout.write(layers: layers, config: config, tag: "v1")
/// // skopeo inspect oci:out/image:v1
/// ```
public struct OCILayout: Sendable {
    /// The layout's folder.
    public let path: String

    /// Opens an existing layout.
    public init(existing path: String) throws(ImageError) {
        guard FileManager.default.fileExists(atPath: path + "/oci-layout") else { throw .notALayout(path) }
        self.path = path
    }

    private init(unchecked path: String) { self.path = path }

    /// Creates a layout in an empty or missing folder, or opens the layout already there (its other tags stay).
    public static func create(at path: String) throws -> OCILayout {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw ImageError.notALayout(path) }
            if fm.fileExists(atPath: path + "/oci-layout") { return OCILayout(unchecked: path) }
            guard (try fm.contentsOfDirectory(atPath: path)).isEmpty else { throw ImageError.notALayout(path) }
        }
        try fm.createDirectory(atPath: path + "/blobs/sha256", withIntermediateDirectories: true)
        let layout = OCILayout(unchecked: path)
        try layout.writeFile("oci-layout", Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        try layout.writeIndex([])
        return layout
    }

    /// Stores a blob under its digest (unchanged when present) and returns the digest.
    @discardableResult
    public func writeBlob(_ bytes: [UInt8]) throws -> Digest {
        let digest = Digest(of: bytes)
        let file = "blobs/sha256/" + digest.hex
        if !FileManager.default.fileExists(atPath: path + "/" + file) { try writeFile(file, bytes) }
        return digest
    }

    /// Reads a blob and checks its digest.
    public func readBlob(_ digest: Digest) throws -> [UInt8] {
        let file = path + "/blobs/sha256/" + digest.hex
        guard let data = FileManager.default.contents(atPath: file) else { throw ImageError.unreadable(file) }
        let bytes = [UInt8](data)
        guard Digest(of: bytes) == digest else {
            throw ImageError.malformed("blob \(digest) does not match its digest")
        }
        return bytes
    }

    /// The index's manifest descriptors.
    public func index() throws -> [Descriptor] {
        guard let data = FileManager.default.contents(atPath: path + "/index.json") else {
            throw ImageError.unreadable(path + "/index.json")
        }
        let parsed: JSONValue
        do { parsed = try JSONParser.parse([UInt8](data)) } catch {
            throw ImageError.malformed("index.json: \(error.description)")
        }
        guard let manifests = parsed.objectValue?["manifests"]?.arrayValue else {
            throw ImageError.malformed("index.json has no manifests")
        }
        return try manifests.map { try Descriptor(json: $0) }
    }

    /// The manifest descriptor tagged `tag`.
    public func manifestDescriptor(tag: String) throws -> Descriptor {
        guard let d = try index().first(where: { $0.annotations[MediaType.refNameAnnotation] == tag }) else {
            throw ImageError.tagNotFound(layout: path, tag: tag)
        }
        return d
    }

    /// The manifest tagged `tag`.
    public func manifest(tag: String) throws -> ImageManifest {
        try ImageManifest(json: readBlob(try manifestDescriptor(tag: tag).digest))
    }

    /// Writes layers, config and manifest, and points `tag` at the manifest; returns the manifest's descriptor.
    public func write(
        layers: [ImageLayer], config: ImageConfig, annotations: [String: String] = [:], tag: String
    ) throws -> Descriptor {
        var config = config
        config.diffIDs = layers.map(\.diffID)
        config.history = layers.map(\.history)
        for layer in layers { try writeBlob(layer.blob) }
        let configBytes = config.json()
        let configDigest = try writeBlob(configBytes)
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.config, digest: configDigest, size: configBytes.count),
            layers: layers.map(\.descriptor), annotations: annotations)
        let manifestBytes = manifest.json()
        let manifestDigest = try writeBlob(manifestBytes)
        let descriptor = Descriptor(
            mediaType: MediaType.manifest, digest: manifestDigest, size: manifestBytes.count, annotations: annotations)
        return try self.tag(descriptor, as: tag, platform: (config.architecture, config.os))
    }

    /// Points `tag` at a manifest already stored in the layout (replacing the tag's previous manifest); returns the
    /// descriptor as the index holds it. `platform` (architecture, os) is written on the index entries.
    @discardableResult
    public func tag(_ manifest: Descriptor, as tag: String, platform: (String, String)? = nil) throws -> Descriptor {
        var descriptor = manifest
        descriptor.annotations[MediaType.refNameAnnotation] = tag
        var entries = try index().filter { $0.annotations[MediaType.refNameAnnotation] != tag }
        entries.append(descriptor)
        try writeIndex(
            entries.sorted {
                ($0.annotations[MediaType.refNameAnnotation] ?? "")
                    < ($1.annotations[MediaType.refNameAnnotation] ?? "")
            }, platform: platform)
        return descriptor
    }

    private func writeIndex(_ entries: [Descriptor], platform: (String, String)? = nil) throws {
        var w = JSONWriter()
        w.object { w in
            w.field("schemaVersion", Int64(2))
            w.field("mediaType", MediaType.index)
            w.key("manifests")
            w.array { w in
                for e in entries { e.write(&w, platform: platform.map { (architecture: $0.0, os: $0.1) }) }
            }
        }
        try writeFile("index.json", w.bytes)
    }

    private func writeFile(_ relative: String, _ bytes: [UInt8]) throws {
        let target = path + "/" + relative
        let staging = target + ".partial"
        guard FileManager.default.createFile(atPath: staging, contents: Data(bytes)) else {
            throw ImageError.unwritable(target)
        }
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.moveItem(atPath: staging, toPath: target)
    }
}
