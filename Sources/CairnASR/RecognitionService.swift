import CairnCore
import CairnServiceKit
import Hummingbird
import Logging

/// The paths that stay open when the service requires a token: its health check and `/metrics`.
public let recognitionOpenPaths: Set<String> = ["/health", "/metrics"]

/// The recognition service's routes: `POST /v1/recognize`, `GET /health`, `GET /metrics`; with
/// `tokens`, every path but ``recognitionOpenPaths`` needs one of them.
public func buildRecognitionRouter(
    pool: DecoderPool, metrics: RecognitionMetrics, configuration: ServiceConfiguration,
    modelDescription: String, tokens: AccessTokens? = nil
) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: RecognitionStatusMiddleware(metrics: metrics))
    router.add(middleware: ServiceErrorMiddleware { status, message in PlainError(status, message) })
    router.requireTokens(tokens, openPaths: recognitionOpenPaths) { PlainError($0, $1) }
    router.post("/v1/recognize") { request, _ -> Response in
        let buffer = try await request.readBody(limit: configuration.maxBodyBytes)
        let input: RecognitionInput
        do {
            input = try RecognitionInput(body: Array(buffer: buffer), contentType: request.headers[.contentType])
        } catch let error as RecognitionInput.Rejection {
            throw PlainError(.init(code: error.status), error.message)
        }
        let started = ContinuousClock.now
        let text = try await pool.recognize(input.samples)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        metrics.recordRecognition(
            audioSeconds: input.duration, processingSeconds: seconds, loudnessDBFS: input.loudnessDBFS,
            transcript: text)
        var w = JSONWriter()
        w.object { w in
            w.field("duration_s", input.duration)
            w.field("processing_s", (seconds * 1e6).rounded() / 1e6)
            w.field("text", text)
        }
        return Response.json(w.bytes)
    }
    router.get("/health") { _, _ -> Response in
        var w = JSONWriter()
        w.object { w in
            w.field("busy", Int64(pool.busy))
            w.field("decoders", Int64(pool.size))
            w.field("model", modelDescription)
            w.field("status", "ok")
        }
        return Response.json(w.bytes)
    }
    router.addMetrics(metrics.registry) { metrics.setBusy(pool.busy) }
    return router
}

/// The recognition service as a runnable application.
public func buildRecognitionApplication(
    pool: DecoderPool, metrics: RecognitionMetrics, configuration: ServiceConfiguration,
    modelDescription: String, tokens: AccessTokens? = nil, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRecognitionRouter(
        pool: pool, metrics: metrics, configuration: configuration, modelDescription: modelDescription,
        tokens: tokens)
    return makeServiceApplication(
        router: router, configuration: configuration, serverName: "cairn-asr", logger: logger,
        onServerRunning: onServerRunning)
}

/// Counts every `/v1/recognize` answer by status, errors included, after the error middleware rendered them.
struct RecognitionStatusMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RecognitionMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        if request.uri.path == "/v1/recognize" { metrics.countRequest(status: Int(response.status.code)) }
        return response
    }
}
