/// The reference server's checks on the `source` of a new model version, with its messages.
///
/// A source is tied to the run (`run_id`) or, when `model_id` is given, to the logged model it
/// came from: a local path must lie inside that run's or model's local artifact directory,
/// `runs:/` and `models:/m-…` URIs must name that very run or model, and proxied
/// (`mlflow-artifacts:`) URIs must lie below its artifact URI. URIs that would make the server
/// connect to a host it does not own (`http`, `ftp`, `mlflow-artifacts://host`, …) and URIs
/// that hide `..` are refused.
///
/// ```swift
/// try await ModelVersionSource.check(
///     source: "mlflow-artifacts:/1/<run>/artifacts/model", runId: "<run>", modelId: nil,
///     runArtifactUri: { _ in "mlflow-artifacts:/1/<run>/artifacts" }, modelArtifactUri: { _ in nil })
/// ```
public enum ModelVersionSource {
    /// Schemes whose URIs name a host the server would connect to.
    static let hostAddressedSchemes: Set<String> = [
        "ftp", "sftp", "hdfs", "viewfs", "http", "https", "mlflow-artifacts", "r2", "b2", "abfss",
    ]

    /// Checks `source`; the lookups return the artifact URI of a run or logged model, or nil when
    /// it does not exist.
    public static func check(
        source: String, runId: String?, modelId: String?,
        runArtifactUri: (String) async throws -> String?, modelArtifactUri: (String) async throws -> String?
    ) async throws {
        let parts = URIParts(source)
        try refuseHostAddressed(source, field: "source")
        if parts.scheme == "models", !parts.authority.isEmpty {
            throw MlflowError.invalid(
                "Invalid model version source: '\(source)'. Registered model sources must use the active model registry."
            )
        }
        let owner = (modelId?.isEmpty == false) ? "model_id" : "run_id"
        let ownerId = (owner == "model_id" ? modelId : runId).flatMap { $0.isEmpty ? nil : $0 }
        func notContaining(_ field: String) -> MlflowError {
            .invalid(
                "Invalid model version source: '\(source)'. The \(field) request parameter must identify the "
                    + "resource that contains the source.")
        }
        func ownerRoot() async throws -> String {
            guard let ownerId else { throw notContaining(owner) }
            let root = owner == "model_id" ? try await modelArtifactUri(ownerId) : try await runArtifactUri(ownerId)
            guard let root else { throw notContaining(owner) }
            return root
        }
        if parts.scheme.isEmpty || parts.scheme == "file" {
            let path = localPath(source)
            var quoted = source
            if ownerId != nil {
                let root = try await ownerRoot()
                quoted = path
                let rootParts = URIParts(root)
                if rootParts.scheme.isEmpty || rootParts.scheme == "file" {
                    let base = URIParts(localPath(root)).segments
                    if !base.isEmpty, Array(URIParts(path).segments.prefix(base.count)) == base { return }
                }
            }
            throw MlflowError.invalid(
                "Invalid model version source: '\(quoted)'. To use a local path as a model version source, the "
                    + "\(owner) request parameter has to be specified and the local path has to be contained within "
                    + "the artifact directory of the run specified by the \(owner).")
        }
        if hidesRelativePath(source) {
            throw MlflowError.invalid(
                "Invalid model version source: '\(source)'. If supplying a source as an http, https, local file path, "
                    + "ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative "
                    + "path references present. Please provide an absolute path.")
        }
        switch parts.scheme {
        case "runs":
            let named = parts.authority.isEmpty ? parts.segments.first : nil
            if owner == "model_id" || named == nil || named != ownerId { throw notContaining(owner) }
        case "models":
            let loggedModel = parts.segments.count == 1 && parts.segments[0].hasPrefix("m-") ? parts.segments[0] : nil
            if let loggedModel, owner == "run_id" || loggedModel != ownerId { throw notContaining("model_id") }
        case "mlflow-artifacts":
            let root = URIParts(try await ownerRoot())
            let inside =
                root.scheme == parts.scheme && root.authority == parts.authority && !root.segments.isEmpty
                && Array(parts.segments.prefix(root.segments.count)) == root.segments
            if !inside { throw notContaining(owner) }
        default: break
        }
    }

    /// Refuses a URI that names a host the server would connect to (`http://…`, `ftp://…`,
    /// `mlflow-artifacts://host/…`), with the reference's message naming the request `field`.
    public static func refuseHostAddressed(_ uri: String, field: String) throws(MlflowError) {
        let parts = URIParts(uri)
        guard hostAddressedSchemes.contains(parts.scheme),
            !(parts.scheme == "mlflow-artifacts" && parts.authority.isEmpty)
        else { return }
        throw MlflowError.invalid(
            "'\(field)' cannot use the '\(parts.scheme)' scheme: the '\(parts.scheme)' scheme addresses a host other "
                + "than the tracking server's configured artifact storage, so the server would connect to the "
                + "host named in the URI. Set the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment "
                + "variable on the server to allow it.")
    }

    /// The path of a local source: `file://` stripped, `.` and `..` resolved, no trailing slash.
    static func localPath(_ source: String) -> String {
        var path = source
        if path.lowercased().hasPrefix("file://") {
            path = String(path.dropFirst("file://".count))
        } else if path.lowercased().hasPrefix("file:") {
            path = String(path.dropFirst("file:".count))
        }
        return ArtifactLocation.normalized(path.hasPrefix("/") ? path : "/" + path)
    }

    /// Whether the decoded URI path holds `..`, a NUL, or does not survive normalisation unchanged
    /// (an empty path counts, as in the reference).
    static func hidesRelativePath(_ source: String) -> Bool {
        var current = source
        for _ in 0..<8 {
            guard let decoded = ArtifactPath.percentDecoded(current, plusAsSpace: true), decoded != current else {
                break
            }
            current = decoded
        }
        if current.split(separator: "/", omittingEmptySubsequences: false).contains("..") { return true }
        var path = URIParts(current).path
        while path.hasSuffix("/") { path.removeLast() }
        while let range = path.range(of: "//") { path.replaceSubrange(range, with: "/") }
        if path.utf8.contains(0) { return true }
        return path.isEmpty || !path.hasPrefix("/") || ArtifactLocation.normalized(path) != path
    }
}
