/// One layer ready for a layout: its stored (compressed) bytes, descriptor, DiffID and history entry.
public struct ImageLayer: Sendable {
    /// The blob as stored: the gzip-compressed tar.
    public var blob: [UInt8]
    /// The manifest's descriptor of the blob (digest and size of the compressed bytes).
    public var descriptor: Descriptor
    /// The digest of the uncompressed tar (the config's `rootfs.diff_ids` entry).
    public var diffID: Digest
    /// How the layer was made.
    public var history: ImageConfig.History
    /// Size of the uncompressed tar in bytes.
    public var uncompressedSize: Int

    /// Creates a layer from its parts (a base image's layer read back from its layout).
    public init(
        blob: [UInt8], descriptor: Descriptor, diffID: Digest, history: ImageConfig.History, uncompressedSize: Int
    ) {
        self.blob = blob
        self.descriptor = descriptor
        self.diffID = diffID
        self.history = history
        self.uncompressedSize = uncompressedSize
    }

    /// Compresses a tar into a gzip layer.
    public static func gzip(tar: [UInt8], history: ImageConfig.History) throws -> ImageLayer {
        let blob = try Gzip.compress(tar)
        return ImageLayer(
            blob: blob,
            descriptor: Descriptor(mediaType: MediaType.layerGzip, digest: Digest(of: blob), size: blob.count),
            diffID: Digest(of: tar), history: history, uncompressedSize: tar.count)
    }
}
