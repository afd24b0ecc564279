import CairnAuth
import CairnCore
import CairnStore
import Foundation
import Hummingbird

/// The endpoints MLflow's own web UI calls besides the REST API: artifact downloads by run, model
/// version or logged model, the UI's artifact upload, bulk metric histories and dataset summaries.
///
/// Every file goes through ``ArtifactDownload`` or ``LocalArtifactStore``, with its path checked by
/// ``ArtifactPath``.
struct MlflowUIRoutes: Sendable {
    let store: any MetadataStore
    let artifacts: LocalArtifactStore
    /// Permission checks on the runs, experiments and models each call reads or writes.
    let access: ResourceGuard

    /// Largest body `upload-artifact` accepts, as the reference server.
    static let maxUploadBytes = 10 * 1024 * 1024
    /// Most runs one bulk-history request may name.
    static let maxBulkRuns = 100
    /// Most points one bulk-history request returns.
    static let maxBulkPoints = 25_000
    /// Most experiments one dataset search may name.
    static let maxDatasetExperiments = 20
    /// Most dataset summaries returned.
    static let maxDatasetSummaries = 1000

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("get-artifact") { request, context in
            try await self.requireRun(.read, request)
            return try await self.runArtifact(request, context: context)
        }
        router.get("model-versions/get-artifact") { request, context in
            if let name = try query(request).string("name") {
                try await access.require(.read, on: GrantKey(.registeredModel, name))
            }
            return try await self.modelVersionArtifact(request, context: context)
        }
        let ajax = router.group("ajax-api/2.0/mlflow")
        ajax.post("upload-artifact") { request, context in
            try await self.requireRun(.update, request)
            return try await self.upload(request, context: context)
        }
        ajax.get("metrics/get-history-bulk") { request, _ in
            for runId in Set(RequestParams.parseQuery(request.uri.query)["run_id"] ?? []) {
                try await access.require(.read, run: runId)
            }
            return try await self.historyBulk(request)
        }
        ajax.post("experiments/search-datasets") { request, context in
            try await self.searchDatasets(request, context: context)
        }
        ajax.get("logged-models/:model_id/artifacts/files") { request, context in
            if access.auth != nil {
                let model = try await store.getLoggedModel(
                    id: context.parameters.get("model_id") ?? "", allowDeleted: true)
                try await access.require(.read, on: GrantKey(.experiment, model.experimentId))
            }
            return try await self.loggedModelFile(request, context: context)
        }
    }

    /// Checks the caller's capability on the run named by `run_id` (or `run_uuid`) in the query.
    private func requireRun(_ capability: Capability, _ request: Request) async throws {
        let p = query(request)
        let runId = try p.string("run_id").flatMap { $0.isEmpty ? nil : $0 } ?? p.string("run_uuid")
        if let runId, !runId.isEmpty { try await access.require(capability, run: runId) }
    }

    private func query(_ request: Request) -> RequestParams {
        RequestParams(query: RequestParams.parseQuery(request.uri.query))
    }

    /// A required query parameter whose absence the reference reports as a bare bad request.
    private func requiredPath(_ p: RequestParams, _ name: String) throws(MlflowError) -> String {
        guard let path = try p.string(name) else {
            throw MlflowError(.badRequest, "Missing query parameter '\(name)'.")
        }
        return path
    }

    /// `GET /get-artifact?run_id=…&path=…` (or `run_uuid`).
    func runArtifact<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let p = query(request)
        let path = try requiredPath(p, "path")
        _ = try ArtifactPath.segments(path)
        let runId = try p.string("run_id").flatMap { $0.isEmpty ? nil : $0 } ?? p.string("run_uuid")
        guard let runId, !runId.isEmpty else { throw MlflowError.noRun("None") }
        let run = try await store.getRun(id: runId)
        let relative = try ArtifactDownload.proxiedPath(rootUri: run.info.artifactUri, path: path)
        return try await ArtifactDownload(artifacts: artifacts).response(relative: relative, context: context)
    }

    /// `GET /model-versions/get-artifact?name=…&version=…&path=…`.
    func modelVersionArtifact<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let p = query(request)
        let path = try requiredPath(p, "path")
        _ = try ArtifactPath.segments(path)
        guard let name = try p.string("name"), !name.isEmpty else {
            throw MlflowError.invalid("Missing value for required parameter 'name'.")
        }
        guard let versionText = try p.string("version"), !versionText.isEmpty else {
            throw MlflowError.invalid("Missing value for required parameter 'version'.")
        }
        let version = try await store.modelVersion(name: name, version: try RegistryValidation.version(versionText))
        let resolved = try await ModelResolver(lookup: store).resolve(version: version)
        let relative = try ArtifactDownload.proxiedPath(rootUri: resolved.artifactUri, path: path)
        return try await ArtifactDownload(artifacts: artifacts).response(relative: relative, context: context)
    }

    /// `GET /ajax-api/2.0/mlflow/logged-models/{id}/artifacts/files?artifact_file_path=…`.
    func loggedModelFile<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let p = query(request)
        guard let path = try p.string("artifact_file_path"), !path.isEmpty else {
            throw MlflowError(.badRequest, "Request must include the \"artifact_file_path\" query parameter.")
        }
        _ = try ArtifactPath.segments(path)
        let id = ArtifactPath.percentDecoded(context.parameters.get("model_id") ?? "") ?? ""
        let model = try await store.getLoggedModel(id: id, allowDeleted: false)
        let relative = try ArtifactDownload.proxiedPath(rootUri: model.artifactUri, path: path)
        return try await ArtifactDownload(artifacts: artifacts).response(relative: relative, context: context)
    }

    /// `POST /ajax-api/2.0/mlflow/upload-artifact?run_uuid=…&path=…` with the file as the raw body.
    func upload<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let p = query(request)
        guard let runId = try p.string("run_uuid"), !runId.isEmpty else {
            throw MlflowError.invalid("Request must specify run_uuid.")
        }
        guard let path = try p.string("path"), !path.isEmpty else {
            throw MlflowError.invalid("Request must specify path.")
        }
        _ = try ArtifactPath.segments(path)
        let tooLarge = MlflowError.invalid("Artifact size is too large. Max size is 10MB.")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxUploadBytes {
            throw tooLarge
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxUploadBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        if body.readableBytes == 0 { throw MlflowError.invalid("Request must specify data.") }
        let run = try await store.getRun(id: runId)
        let relative = try ArtifactDownload.proxiedPath(rootUri: run.info.artifactUri, path: path)
        let (final, temporary) = try artifacts.prepareUpload(relative)
        do {
            try await FileIO().writeFile(buffer: body, path: temporary, context: context)
            try artifacts.commitUpload(temporary: temporary, final: final)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return Response(status: .ok, headers: [.contentType: "application/json", .contentLength: "0"])
    }

    /// `GET /ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=…&run_id=…&metric_key=…&max_results=…`:
    /// the points of several runs, ordered by run id, then timestamp, step and value, at most
    /// `max_results` in all.
    func historyBulk(_ request: Request) async throws -> Response {
        let q = RequestParams.parseQuery(request.uri.query)
        let runIds = q["run_id"] ?? []
        if runIds.isEmpty {
            throw MlflowError.invalid("GetMetricHistoryBulk request must specify at least one run_id.")
        }
        if runIds.count > Self.maxBulkRuns {
            throw MlflowError.invalid(
                "GetMetricHistoryBulk request cannot specify more than \(Self.maxBulkRuns) run_ids. "
                    + "Received \(runIds.count) run_ids.")
        }
        guard let key = q["metric_key"]?.first else {
            throw MlflowError.invalid("GetMetricHistoryBulk request must specify a metric_key.")
        }
        var limit = Self.maxBulkPoints
        if let text = q["max_results"]?.first {
            guard let n = Int(text), n >= 0 else {
                throw MlflowError.invalid(
                    "Invalid value \"\(text)\" for parameter 'max_results' supplied: it must be a non-negative integer."
                )
            }
            limit = min(n, Self.maxBulkPoints)
        }
        let ids = Array(Set(runIds)).sorted()
        var points = try await store.metricHistories(runIds: ids, key: key, startStep: nil, endStep: nil)
        points.sort { a, b in
            if a.runId != b.runId { return (a.runId ?? "") < (b.runId ?? "") }
            if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
            if a.step != b.step { return a.step < b.step }
            return a.value < b.value
        }
        let page = points.prefix(limit)
        return APIRoutes.json(
            TrackingAPI.json { w in
                w.key("metrics")
                w.array { w in
                    for m in page {
                        w.object { w in
                            w.field("key", m.key)
                            w.field("value", m.value)
                            w.field("timestamp", m.timestamp)
                            w.field("step", m.step)
                            w.field("run_id", m.runId)
                        }
                    }
                }
            })
    }

    /// `POST /ajax-api/2.0/mlflow/experiments/search-datasets` `{"experiment_ids": [...]}`.
    func searchDatasets<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let p = try await APIRoutes.params(request, context: context, maxBodySize: APIRoutes.smallBodyLimit)
        let ids = (try? p.strings("experiment_ids")) ?? []
        if ids.isEmpty { throw MlflowError.invalid("SearchDatasets request must specify at least one experiment_id.") }
        if ids.count > Self.maxDatasetExperiments {
            throw MlflowError.invalid(
                "SearchDatasets request cannot specify more than \(Self.maxDatasetExperiments) experiment_ids. "
                    + "Received \(ids.count) experiment_ids.")
        }
        for id in Set(ids) { try await access.require(.read, on: GrantKey(.experiment, id)) }
        let summaries = try await store.datasetSummaries(experimentIds: ids, limit: Self.maxDatasetSummaries)
        return APIRoutes.json(
            TrackingAPI.json { w in
                if !summaries.isEmpty { w.field("dataset_summaries", summaries) }
            })
    }
}
