import CairnAuth
import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The artifact proxy (`/api/2.0/mlflow-artifacts/...`) and the artifact listings of runs and
/// logged models, backed by a ``LocalArtifactStore``.
struct ArtifactRoutes: Sendable {
    let artifacts: LocalArtifactStore
    let store: any MetadataStore
    /// Permission checks: proxy paths by the experiment id they start with, listings by run or model.
    let access: ResourceGuard
    let fileIO = FileIO()

    static let proxyPrefix = "/api/2.0/mlflow-artifacts/artifacts"

    func register<Context: RequestContext>(on router: Router<Context>) {
        for base in ["api/2.0/mlflow-artifacts", "ajax-api/2.0/mlflow-artifacts"] {
            let group = router.group(RouterPath(base))
            group.get("artifacts") { request, _ in
                try await self.checkProxy(RequestParams.parseQuery(request.uri.query)["path"]?.first ?? "", .read)
                return try self.list(request)
            }
            group.put("artifacts/**") { request, context in
                try await self.checkProxy(try self.relativePath(request), .update)
                return try await self.upload(request, context: context)
            }
            group.get("artifacts/**") { request, context in
                try await self.checkProxy(try self.relativePath(request), .read)
                return try await self.download(request, context: context)
            }
            group.delete("artifacts/**") { request, _ in
                try await self.checkProxy(try self.relativePath(request), .delete)
                return try self.delete(request)
            }
            for op in ["mpu/create/**", "mpu/complete/**", "mpu/abort/**"] {
                group.post(RouterPath(op)) { _, _ -> Response in
                    throw MlflowError(
                        .notImplemented,
                        "Multipart upload is not supported for the current artifact repository; upload with a single PUT."
                    )
                }
            }
            group.get("presigned/**") { _, _ -> Response in
                throw MlflowError(.notImplemented, "Presigned URLs are not supported by this artifact repository.")
            }
        }
        for prefix in ["api/2.0/mlflow", "ajax-api/2.0/mlflow"] {
            router.get(RouterPath(prefix + "/artifacts/list")) { request, context in
                let query = RequestParams.parseQuery(request.uri.query)
                if let runId = (query["run_id"] ?? query["run_uuid"])?.first, !runId.isEmpty {
                    try await access.require(.read, run: runId)
                }
                return try await self.listRunArtifacts(request, context: context)
            }
            router.get(RouterPath(prefix + "/logged-models/:model_id/artifacts/directories")) { request, context in
                if access.auth != nil {
                    let id = context.parameters.get("model_id") ?? ""
                    let model = try await store.getLoggedModel(id: id, allowDeleted: true)
                    try await access.require(.read, on: GrantKey(.experiment, model.experimentId))
                }
                return try await self.listLoggedModelArtifacts(request, context: context)
            }
        }
    }

    /// Checks a proxied artifact path against the grant of the experiment whose id starts it (artifact
    /// locations are `mlflow-artifacts:/<experiment id>/…`); any other path is for administrators.
    func checkProxy(_ path: String, _ capability: Capability) async throws {
        guard access.auth != nil else { return }
        let first = path.split(separator: "/").first.map(String.init) ?? ""
        if let _ = Int64(first) {
            try await access.require(capability, on: GrantKey(.experiment, first))
        } else {
            try access.requireAdmin()
        }
    }

    /// The artifact path of a proxy request: everything after `.../artifacts/`, percent-decoded.
    func relativePath(_ request: Request) throws(MlflowError) -> String {
        let raw = request.uri.path
        guard let range = raw.range(of: "/mlflow-artifacts/artifacts/") else { throw ArtifactPath.invalid }
        let encoded = String(raw[range.upperBound...])
        guard let decoded = ArtifactPath.percentDecoded(encoded) else { throw ArtifactPath.invalid }
        // Validate both forms: a traversal hidden behind an encoding is still a traversal.
        _ = try ArtifactPath.segments(encoded)
        _ = try ArtifactPath.segments(decoded)
        return decoded
    }

    func upload<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let relative = try relativePath(request)
        let (final, temporary) = try artifacts.prepareUpload(relative)
        do {
            try await fileIO.writeFile(contents: request.body, path: temporary, context: context)
            try artifacts.commitUpload(temporary: temporary, final: final)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return Response(status: .ok, headers: [.contentLength: "0"])
    }

    func download<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        try await ArtifactDownload(artifacts: artifacts).response(relative: try relativePath(request), context: context)
    }

    func list(_ request: Request) throws -> Response {
        let query = RequestParams.parseQuery(request.uri.query)
        let relative = query["path"]?.first ?? ""
        let entries = try artifacts.list(relative)
        var w = JSONWriter()
        w.object { w in
            if !entries.isEmpty {
                w.key("files")
                w.array { w in
                    for e in entries { Self.write(e, to: &w) }
                }
            }
        }
        return APIRoutes.json(w.bytes)
    }

    func delete(_ request: Request) throws -> Response {
        try artifacts.delete(try relativePath(request))
        return APIRoutes.json(TrackingAPI.empty)
    }

    static func write(_ e: ArtifactEntry, to w: inout JSONWriter) {
        w.object { w in
            w.field("path", e.path)
            w.field("is_dir", e.isDirectory)
            w.field("file_size", e.size)
        }
    }

    /// Maps an `mlflow-artifacts:` URI to a path relative to the artifact root, or nil for other schemes.
    static func proxiedPath(_ uri: String) -> String? { LocalArtifactStore.proxiedPath(uri) }

    /// Lists `root_uri` + `path` with paths relative to `root_uri`, as the UI listing endpoints do.
    func listUnder(rootUri: String, path: String) throws -> [UInt8] {
        _ = try ArtifactPath.segments(path)
        var entries: [ArtifactEntry] = []
        if let base = Self.proxiedPath(rootUri) {
            let joined = path.isEmpty ? base : base + "/" + path
            entries = try artifacts.list(joined).map { e in
                var e = e
                // Joined as posixpath.join does: a trailing slash is not doubled.
                e.path = path.isEmpty ? e.path : (path.hasSuffix("/") ? path : path + "/") + e.path
                return e
            }
        }
        return TrackingAPI.json { w in
            w.field("root_uri", rootUri)
            if !entries.isEmpty {
                w.key("files")
                w.array { w in
                    for e in entries { Self.write(e, to: &w) }
                }
            }
        }
    }

    func listRunArtifacts<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let p = RequestParams(query: RequestParams.parseQuery(request.uri.query))
        let runId = try p.requiredString(anyOf: ["run_id", "run_uuid"])
        let run = try await store.getRun(id: runId)
        return APIRoutes.json(try listUnder(rootUri: run.info.artifactUri, path: try p.string("path") ?? ""))
    }

    func listLoggedModelArtifacts<Context: RequestContext>(_ request: Request, context: Context) async throws
        -> Response
    {
        let id = context.parameters.get("model_id") ?? ""
        let p = RequestParams(query: RequestParams.parseQuery(request.uri.query))
        let model = try await store.getLoggedModel(id: id, allowDeleted: false)
        return APIRoutes.json(
            try listUnder(rootUri: model.artifactUri, path: try p.string("artifact_directory_path") ?? ""))
    }
}
