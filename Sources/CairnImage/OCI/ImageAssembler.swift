/// Turns a plan into blobs in a layout: each layer as a reproducible tar, gzip-compressed, then config, manifest and
/// the tag in `index.json`.
public enum ImageAssembler {
    /// What was written.
    public struct Result: Sendable {
        /// The manifest's descriptor (its digest identifies the image).
        public var manifest: Descriptor
        /// The layers, base first.
        public var layers: [Descriptor]
        /// The uncompressed layer digests.
        public var diffIDs: [Digest]
        /// Sum of the compressed layer sizes.
        public var compressedSize: Int { layers.reduce(0) { $0 + $1.size } }
    }

    /// Writes `plan` (on top of `base`'s layers, if any) into `layout` under `tag`; entries carry `epoch` as mtime.
    public static func write(
        _ plan: ImagePlan, base: BaseImage? = nil, to layout: OCILayout, tag: String, epoch: Int64,
        progress: (String) -> Void = { _ in }
    ) throws -> Result {
        let created = ImageConfig.timestamp(epoch: epoch)
        var layers: [ImageLayer] = base?.layers ?? []
        for planned in plan.layers {
            let tar = try planned.content.tar(mtime: epoch)
            let layer = try ImageLayer.gzip(tar: tar, history: planned.history)
            progress(
                "Layer \(layer.descriptor.digest.hex.prefix(12)): \(planned.history.comment), "
                    + "\(planned.content.entries.count) entries, \(tar.count) bytes → \(layer.blob.count) gzip")
            layers.append(layer)
        }
        var config = plan.config(
            architecture: base?.config.architecture ?? ImagePlan.hostArchitecture, created: created)
        if let base { config.env = BaseImage.mergeEnvironment(base.config.env, plan.env) }
        let descriptor = try layout.write(layers: layers, config: config, annotations: plan.labels, tag: tag)
        return Result(manifest: descriptor, layers: layers.map(\.descriptor), diffIDs: layers.map(\.diffID))
    }
}
