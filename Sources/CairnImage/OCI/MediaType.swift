/// The OCI media types Cairn writes and reads.
public enum MediaType {
    /// An image index (`index.json`).
    public static let index = "application/vnd.oci.image.index.v1+json"
    /// An image manifest.
    public static let manifest = "application/vnd.oci.image.manifest.v1+json"
    /// An image config.
    public static let config = "application/vnd.oci.image.config.v1+json"
    /// A gzip-compressed layer.
    public static let layerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    /// An uncompressed layer.
    public static let layerTar = "application/vnd.oci.image.layer.v1.tar"
    /// Docker's manifest, accepted in bases.
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// Docker's manifest list (an index of per-platform manifests), accepted when pulling a base.
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// Docker's gzip layer, accepted in bases.
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// The annotation that names a tag in `index.json`.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
}
