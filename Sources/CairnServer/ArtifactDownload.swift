import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// Sends one file of the artifact store as an attachment, with MLflow's content type rules
/// (``ArtifactContentType``) and its "no such artifact" and "is a directory" errors.
///
/// Every download route (the artifact proxy, `/get-artifact`, a model version's and a logged
/// model's files) goes through here, so paths are resolved by ``LocalArtifactStore`` alone.
struct ArtifactDownload: Sendable {
    let artifacts: LocalArtifactStore
    let fileIO = FileIO()

    /// The response for `relative`, a path below the artifact root (already validated by the caller
    /// or validated here by ``LocalArtifactStore/resolve(_:)``).
    func response<Context: RequestContext>(relative: String, context: Context) async throws -> Response {
        let path = try artifacts.resolve(relative)
        switch artifacts.kind(path) {
        case nil: throw MlflowError.notFound("No such artifact: '\(relative)'")
        case true?: throw MlflowError.invalid("Artifact path refers to a directory, not a file: '\(relative)'")
        case false?: break
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let body = try await fileIO.loadFile(path: path, context: context)
        return Response(
            status: .ok,
            headers: [
                .contentType: ArtifactContentType.of(relative),
                .contentLength: String(size),
                .contentDisposition: ArtifactContentType.disposition(relative),
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: body)
    }

    /// The path below the artifact root of `path` inside the proxied artifact root `rootUri`, as the
    /// reference names it in its messages (`1/<run>/artifacts/f.txt`; an empty path keeps the
    /// trailing slash). Artifacts kept outside the proxy are not served by this server.
    static func proxiedPath(rootUri: String, path: String) throws(MlflowError) -> String {
        _ = try ArtifactPath.segments(path)
        guard let base = LocalArtifactStore.proxiedPath(rootUri) else {
            throw MlflowError(
                .notImplemented,
                "The artifacts at '\(rootUri)' are not stored by this server's artifact proxy; "
                    + "read them from that location directly.")
        }
        return base.isEmpty ? path : base + "/" + path
    }
}
