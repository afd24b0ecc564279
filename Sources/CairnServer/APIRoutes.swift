import CairnCore
import Foundation
import Hummingbird

/// Registers the MLflow REST endpoints under `/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`.
enum APIRoutes {
    typealias Handler = @Sendable (TrackingAPI, RequestParams) async throws -> [UInt8]

    /// The endpoint table: path (relative to the prefix), methods, handler.
    static let endpoints: [(String, [HTTPRequest.Method], Handler)] = [
        ("experiments/create", [.post], { try await $0.createExperiment($1) }),
        ("experiments/get", [.get], { try await $0.getExperiment($1) }),
        ("experiments/get-by-name", [.get], { try await $0.getExperimentByName($1) }),
        ("experiments/search", [.post, .get], { try await $0.searchExperiments($1) }),
        ("experiments/update", [.post], { try await $0.updateExperiment($1) }),
        ("experiments/delete", [.post], { try await $0.deleteExperiment($1) }),
        ("experiments/restore", [.post], { try await $0.restoreExperiment($1) }),
        ("experiments/set-experiment-tag", [.post], { try await $0.setExperimentTag($1) }),
        ("experiments/delete-experiment-tag", [.post], { try await $0.deleteExperimentTag($1) }),
        ("runs/create", [.post], { try await $0.createRun($1) }),
        ("runs/get", [.get], { try await $0.getRun($1) }),
        ("runs/update", [.post], { try await $0.updateRun($1) }),
        ("runs/delete", [.post], { try await $0.deleteRun($1) }),
        ("runs/restore", [.post], { try await $0.restoreRun($1) }),
        ("runs/search", [.post, .get], { try await $0.searchRuns($1) }),
        ("runs/log-metric", [.post], { try await $0.logMetric($1) }),
        ("runs/log-parameter", [.post], { try await $0.logParam($1) }),
        ("runs/set-tag", [.post], { try await $0.setTag($1) }),
        ("runs/delete-tag", [.post], { try await $0.deleteTag($1) }),
        ("runs/log-batch", [.post], { try await $0.logBatch($1) }),
        ("runs/log-inputs", [.post], { try await $0.logInputs($1) }),
        ("runs/outputs", [.post], { try await $0.logOutputs($1) }),
        ("metrics/get-history", [.get], { try await $0.getMetricHistory($1) }),
        ("metrics/get-history-bulk-interval", [.get], { try await $0.getMetricHistoryBulkInterval($1) }),
        ("logged-models", [.post], { try await $0.createLoggedModel($1) }),
        ("logged-models/search", [.post], { try await $0.searchLoggedModels($1) }),
        ("logged-models/:model_id", [.get], { try await $0.getLoggedModel($1) }),
        ("logged-models/:model_id", [.patch], { try await $0.finalizeLoggedModel($1) }),
        ("logged-models/:model_id", [.delete], { try await $0.deleteLoggedModel($1) }),
        ("logged-models/:model_id/tags", [.patch], { try await $0.setLoggedModelTags($1) }),
        ("logged-models/:model_id/tags/:tag_key", [.delete], { try await $0.deleteLoggedModelTag($1) }),
        ("logged-models/:model_id/params", [.post], { try await $0.logLoggedModelParams($1) }),
        ("registered-models/create", [.post], { try await $0.createRegisteredModel($1) }),
        ("registered-models/get", [.get], { try await $0.getRegisteredModel($1) }),
        ("registered-models/rename", [.post], { try await $0.renameRegisteredModel($1) }),
        ("registered-models/update", [.patch], { try await $0.updateRegisteredModel($1) }),
        ("registered-models/delete", [.delete], { try await $0.deleteRegisteredModel($1) }),
        ("registered-models/search", [.get], { try await $0.searchRegisteredModels($1) }),
        ("registered-models/get-latest-versions", [.post, .get], { try await $0.getLatestVersions($1) }),
        ("registered-models/set-tag", [.post], { try await $0.setRegisteredModelTag($1) }),
        ("registered-models/delete-tag", [.delete], { try await $0.deleteRegisteredModelTag($1) }),
        ("registered-models/alias", [.post], { try await $0.setAlias($1) }),
        ("registered-models/alias", [.delete], { try await $0.deleteAlias($1) }),
        ("registered-models/alias", [.get], { try await $0.getAlias($1) }),
        ("model-versions/create", [.post], { try await $0.createModelVersion($1) }),
        ("model-versions/get", [.get], { try await $0.getModelVersion($1) }),
        ("model-versions/update", [.patch], { try await $0.updateModelVersion($1) }),
        ("model-versions/delete", [.delete], { try await $0.deleteModelVersion($1) }),
        ("model-versions/search", [.get], { try await $0.searchModelVersions($1) }),
        ("model-versions/transition-stage", [.post], { try await $0.transitionStage($1) }),
        ("model-versions/get-download-uri", [.get], { try await $0.getDownloadUri($1) }),
        ("model-versions/set-tag", [.post], { try await $0.setModelVersionTag($1) }),
        ("model-versions/delete-tag", [.delete], { try await $0.deleteModelVersionTag($1) }),
    ]

    /// Largest JSON request body of an endpoint, sized to what the API itself accepts, so a hostile
    /// body is refused with 413 after at most that many bytes are read.
    ///
    /// A full `runs/log-batch` (1,000 metrics, 100 params of 6,000 characters, 100 tags of 8,000, all
    /// keys at 250) is under 2 MB as plain text and about 10 MB with every character `\u`-escaped;
    /// a dataset input may carry a 16 MiB profile. Everything else is small.
    static func maxBodySize(path: String) -> Int {
        switch path {
        case "runs/log-inputs": 40 << 20
        case "runs/log-batch", "runs/create", "logged-models", "logged-models/:model_id/params",
            "logged-models/:model_id/tags", "logged-models/search", "runs/search":
            16 << 20
        default: smallBodyLimit
        }
    }

    /// The body limit of endpoints that take small requests (lookups, searches, UI calls).
    static let smallBodyLimit = 2 << 20

    /// Most JSON values one request body may hold: a full log-batch has about 6,000, so this is generous
    /// while keeping a body of tiny values from turning into a huge tree in memory.
    static let maxBodyValues = 200_000

    static func register<Context: RequestContext>(on router: Router<Context>, api: TrackingAPI) {
        for prefix in ["api/2.0/mlflow", "ajax-api/2.0/mlflow"] {
            let group = router.group(RouterPath(prefix))
            for (path, methods, handler) in endpoints {
                for method in methods {
                    let limit = maxBodySize(path: path)
                    let access = EndpointAccess.of(path: path, method: method)
                    group.on(RouterPath(path), method: method) { request, context in
                        let params = try await Self.params(request, context: context, maxBodySize: limit)
                        try await api.access.check(access, params)
                        let reply = try await handler(api, params)
                        if let event = AuditedEndpoint.event(path: path, method: method, params: params) {
                            do {
                                try await api.access.audit(event.action, event.type, event.id, event.detail)
                            } catch {
                                context.logger.error("Could not write the audit log: \(error)")
                            }
                        }
                        return Self.json(reply)
                    }
                }
            }
        }
    }

    static func tooLarge(_ limit: Int) -> MlflowError {
        MlflowError(
            .resourceLimitExceeded,
            "The request body is larger than this endpoint accepts (\(limit >> 20) MiB); split it into smaller requests."
        )
    }

    /// A 200 JSON response.
    static func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Reads the request fields: query parameters for GET, the JSON body otherwise. A body over
    /// `maxBodySize` bytes is refused with 413; a string holding a NUL character with 400.
    static func params<Context: RequestContext>(
        _ request: Request, context: Context, maxBodySize: Int
    ) async throws -> RequestParams {
        var params: RequestParams
        if request.method == .get {
            if let raw = request.uri.query, RequestParams.escapesInvalidUTF8(raw) {
                throw MlflowError(.badRequest, "The query string holds percent-escapes that are not UTF-8.")
            }
            let query = RequestParams.parseQuery(request.uri.query)
            for (key, values) in query {
                for value in values where key.utf8.contains(0) || value.utf8.contains(0) {
                    throw RequestParams.nulCharacter(key)
                }
            }
            params = RequestParams(query: query)
        } else {
            let contentType = request.headers[.contentType]
            if request.method == .post || request.method == .put {
                guard let contentType else {
                    throw MlflowError.invalid("Bad Request. Content-Type header is missing.")
                }
                let media = contentType.split(separator: ";").first.map {
                    $0.trimmingCharacters(in: .whitespaces).lowercased()
                }
                guard media == "application/json" else {
                    throw MlflowError.invalid("Bad Request. Content-Type must be one of ['application/json'].")
                }
            }
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize {
                throw Self.tooLarge(maxBodySize)
            }
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: maxBodySize)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw Self.tooLarge(maxBodySize)
            }
            let bytes = Array(buffer.readableBytesView)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                params = RequestParams(json: [:])
            } else {
                var value: JSONValue
                do {
                    value = try JSONParser.parse(bytes, maxValues: maxBodyValues)
                    if case .string(let inner) = value {
                        value = try JSONParser.parse(Array(inner.utf8), maxValues: maxBodyValues)
                    }
                } catch {
                    throw MlflowError(.badRequest, "Malformed request body: \(error)")
                }
                guard case .object(let object) = value else {
                    throw MlflowError(.badRequest, "Malformed request body: expected a JSON object.")
                }
                try RequestParams.rejectNul(in: object)
                params = RequestParams(json: object)
            }
        }
        for (key, value) in context.parameters {
            params.pathParameters[String(key)] = ArtifactPath.percentDecoded(String(value)) ?? String(value)
        }
        return params
    }
}
