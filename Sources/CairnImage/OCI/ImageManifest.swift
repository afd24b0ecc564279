import CairnCore

/// An image manifest: the config descriptor, the layers base first, and annotations.
public struct ImageManifest: Sendable, Equatable {
    /// The manifest's media type (OCI, or Docker's for bases that use it).
    public var mediaType = MediaType.manifest
    /// The config blob.
    public var config: Descriptor
    /// The layer blobs, base first.
    public var layers: [Descriptor]
    /// Annotations (written sorted by key).
    public var annotations: [String: String] = [:]

    /// Creates a manifest.
    public init(config: Descriptor, layers: [Descriptor], annotations: [String: String] = [:]) {
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }

    /// The manifest's JSON bytes.
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            w.field("schemaVersion", Int64(2))
            w.field("mediaType", mediaType)
            w.key("config")
            config.write(&w)
            w.key("layers")
            w.array { w in
                for l in layers { l.write(&w) }
            }
            if !annotations.isEmpty {
                w.key("annotations")
                w.object { w in
                    for (k, v) in annotations.sorted(by: { $0.key < $1.key }) { w.field(k, v) }
                }
            }
        }
        return w.bytes
    }

    /// Reads a manifest.
    public init(json bytes: [UInt8]) throws(ImageError) {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(bytes) } catch { throw .malformed("manifest: \(error.description)") }
        guard let object = parsed.objectValue, let config = object["config"], let layers = object["layers"]?.arrayValue
        else { throw .malformed("a manifest needs config and layers") }
        self.config = try Descriptor(json: config)
        var descriptors: [Descriptor] = []
        for layer in layers { descriptors.append(try Descriptor(json: layer)) }
        self.layers = descriptors
        if let mediaType = object["mediaType"]?.stringValue { self.mediaType = mediaType }
        for (k, v) in object["annotations"]?.objectValue ?? [:] { annotations[k] = v.stringValue }
    }
}
