import CairnCore

/// A reference to a blob: its media type, digest and size, plus optional annotations.
public struct Descriptor: Sendable, Equatable {
    /// The blob's media type.
    public var mediaType: String
    /// The blob's digest.
    public var digest: Digest
    /// The blob's size in bytes.
    public var size: Int
    /// Annotations, written sorted by key.
    public var annotations: [String: String] = [:]

    /// Creates a descriptor.
    public init(mediaType: String, digest: Digest, size: Int, annotations: [String: String] = [:]) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }
}

extension Descriptor {
    /// Writes the descriptor as a JSON object (annotations sorted by key).
    func write(_ w: inout JSONWriter, platform: (architecture: String, os: String)? = nil) {
        w.object { w in
            w.field("mediaType", mediaType)
            w.field("digest", digest.description)
            w.field("size", Int64(size))
            if !annotations.isEmpty {
                w.key("annotations")
                w.object { w in
                    for (k, v) in annotations.sorted(by: { $0.key < $1.key }) { w.field(k, v) }
                }
            }
            if let platform {
                w.key("platform")
                w.object { w in
                    w.field("architecture", platform.architecture)
                    w.field("os", platform.os)
                }
            }
        }
    }

    /// Reads a descriptor from parsed JSON.
    init(json: JSONValue) throws(ImageError) {
        guard let object = json.objectValue, let mediaType = object["mediaType"]?.stringValue,
            let digestText = object["digest"]?.stringValue, let digest = Digest(parsing: digestText),
            case .int(let size)? = object["size"]
        else { throw .malformed("a descriptor needs mediaType, a sha256 digest and size") }
        var annotations: [String: String] = [:]
        for (k, v) in object["annotations"]?.objectValue ?? [:] { annotations[k] = v.stringValue }
        self.init(mediaType: mediaType, digest: digest, size: Int(size), annotations: annotations)
    }
}
