import CairnCore
import CairnServiceKit
import CairnServingCore
import Foundation
import HTTPTypes
import Hummingbird

/// The scoring server's HTTP routes on one port: MLflow's scoring protocol (`/invocations`,
/// `/ping`, `/health`, `/version`), the Open Inference Protocol v2 (`/v2/…`), `/feedback` (labels) and
/// `/metrics`. Every scoring answer names the model that produced it in the `Cairn-Model` header
/// (and, on success, the runtime in `Cairn-Runtime`).
public struct ScoringRoutes: Sendable {
    /// The header that names the answering model (`NAME/VERSION`).
    public static let modelHeader = HTTPField.Name("Cairn-Model")!
    /// Header naming the runtime that answered (`native` or `python`).
    public static let runtimeHeader = HTTPField.Name("Cairn-Runtime")!
    /// The header whose value pins a caller to the same model during a canary.
    public static let routingKeyHeader = HTTPField.Name("Cairn-Routing-Key")!
    /// The header carrying the request id (taken from `X-Request-Id` when the caller sends one).
    public static let requestIdHeader = HTTPField.Name("Cairn-Request-Id")!
    static let callerRequestId = HTTPField.Name("X-Request-Id")!
    /// The paths that stay open when the server requires a token: health and readiness probes, and
    /// `/metrics` (aggregates only).
    public static let openPaths: Set<String> = ["/ping", "/health", "/v2/health/live", "/v2/health/ready", "/metrics"]

    let deployment: Deployment
    let metrics: ServingMetrics
    let maxBodyBytes: Int
    let version: String

    public init(deployment: Deployment, metrics: ServingMetrics, maxBodyBytes: Int, version: String) {
        self.deployment = deployment
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
        self.version = version
    }

    /// Adds the routes.
    public func register(on router: Router<BasicRequestContext>) {
        router.get("/ping") { _, _ in Response.json(Array("\n".utf8)) }
        router.get("/health") { _, _ in Response.json(Array("\n".utf8)) }
        router.get("/version") { _, _ in Response.text(version) }
        router.post("/invocations") { request, _ in try await invocations(request) }
        router.post("/feedback") { request, _ in try await feedback(request) }
        router.addMetrics(metrics.registry)
        registerOpenInference(on: router)
    }

    func invocations(_ request: Request) async throws -> Response {
        let requestId = request.headers[Self.callerRequestId] ?? UUID().uuidString.lowercased()
        let primary = deployment.primary
        let body: ByteBuffer
        do {
            body = try await request.readBody(limit: maxBodyBytes)
        } catch let error as BodyTooLarge {
            return failure(ScoringError(status: 413, error.description), model: primary.label, requestId: requestId)
        }
        let parsed: ScoringRequest
        do {
            parsed = try ScoringRequestParser.parse(
                body: Array(buffer: body), contentType: request.headers[.contentType],
                columnOrder: primary.runtime.signature.columnNames)
        } catch {
            metrics.request(
                model: primary.model.name, version: primary.model.version, role: .primary, status: error.status,
                seconds: 0)
            return failure(error, model: primary.label, requestId: requestId)
        }
        let answer = await deployment.answer(
            parsed, routingKey: request.headers[Self.routingKeyHeader], requestId: requestId)
        switch answer.result {
        case .success(let predictions):
            var w = JSONWriter(capacity: 256)
            predictions.writeResponse(&w)
            var h = headers(model: answer.slot.label, requestId: requestId)
            h[Self.runtimeHeader] = answer.slot.runtimeName
            return Response.json(w.bytes, headers: h)
        case .failure(let error):
            return failure(error, model: answer.slot.label, requestId: requestId)
        }
    }

    /// `POST /feedback`: ground-truth labels for earlier predictions, appended to the prediction log
    /// (see ``FeedbackParser`` for the body). Answers `{"labels": N}`.
    func feedback(_ request: Request) async throws -> Response {
        let primary = deployment.primary
        let requestId = request.headers[Self.callerRequestId] ?? UUID().uuidString.lowercased()
        let body: ByteBuffer
        do {
            body = try await request.readBody(limit: maxBodyBytes)
        } catch let error as BodyTooLarge {
            return failure(ScoringError(status: 413, error.description), model: primary.label, requestId: requestId)
        }
        let labels: [LabelRecord]
        do {
            labels = try FeedbackParser.parse(body: Array(buffer: body), nowMillis: WallClock.nowMillis())
        } catch {
            return failure(error, model: primary.label, requestId: requestId)
        }
        guard deployment.recordLabels(labels) else {
            return failure(
                .badRequest("Labels are kept in the prediction log: start cairn serve with --prediction-log DIR."),
                model: primary.label, requestId: requestId)
        }
        metrics.labels(model: primary.model.name, count: labels.count)
        var w = JSONWriter()
        w.object { w in w.field("labels", Int64(labels.count)) }
        return Response.json(w.bytes, headers: headers(model: primary.label, requestId: requestId))
    }

    func headers(model: String, requestId: String) -> HTTPFields {
        var h = HTTPFields()
        h[Self.modelHeader] = model
        h[Self.requestIdHeader] = requestId
        return h
    }

    /// An MLflow-shaped error (plain text for 415, as MLflow's scoring server answers).
    func failure(_ error: ScoringError, model: String, requestId: String) -> Response {
        var h = headers(model: model, requestId: requestId)
        if error.isPlainText {
            h[.contentType] = "text/plain"
            return Response(
                status: .init(code: error.status), headers: h,
                body: .init(byteBuffer: ByteBuffer(string: error.message)))
        }
        var w = JSONWriter()
        w.object { w in
            w.field("error_code", error.code)
            w.field("message", error.message)
        }
        return Response.json(w.bytes, status: .init(code: error.status), headers: h)
    }
}
