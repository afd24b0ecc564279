import Foundation
import Hummingbird
import Logging
import NIOCore

/// Settings of the recognition service.
public struct RecognitionServiceConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Largest accepted request body in bytes (larger bodies get 413).
    public var maxBodyBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 8000, maxBodyBytes: Int = 16 << 20) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The recognition service's routes: `POST /v1/recognize`, `GET /health`, `GET /metrics`.
public func buildRecognitionRouter(
    pool: DecoderPool, metrics: RecognitionMetrics, configuration: RecognitionServiceConfiguration,
    modelDescription: String
) -> Router<BasicRequestContext> {
    let router = Router()
    router.post("/v1/recognize") { request, _ -> Response in
        do {
            let contentType = request.headers[.contentType]
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                throw RecognitionInput.Rejection(
                    status: 413, message: "body larger than \(configuration.maxBodyBytes) bytes")
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw RecognitionInput.Rejection(
                    status: 413, message: "body larger than \(configuration.maxBodyBytes) bytes")
            }
            let input = try RecognitionInput(body: Array(buffer: buffer), contentType: contentType)
            let started = ContinuousClock.now
            let text = try await pool.recognize(input.samples)
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            metrics.recordRecognition(
                audioSeconds: input.duration, processingSeconds: seconds, loudnessDBFS: input.loudnessDBFS,
                transcript: text)
            metrics.countRequest(status: 200)
            return jsonResponse(
                .ok,
                ["text": text, "duration_s": input.duration, "processing_s": (seconds * 1e6).rounded() / 1e6])
        } catch let rejection as RecognitionInput.Rejection {
            metrics.countRequest(status: rejection.status)
            return jsonResponse(HTTPResponse.Status(code: rejection.status), ["error": rejection.message])
        } catch {
            metrics.countRequest(status: 500)
            return jsonResponse(.internalServerError, ["error": "\(error)"])
        }
    }
    router.get("/health") { _, _ -> Response in
        jsonResponse(.ok, ["status": "ok", "decoders": pool.size, "busy": pool.busy, "model": modelDescription])
    }
    router.get("/metrics") { _, _ -> Response in
        metrics.setBusy(pool.busy)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
    }
    return router
}

/// The recognition service as a runnable Hummingbird application.
public func buildRecognitionApplication(
    pool: DecoderPool, metrics: RecognitionMetrics, configuration: RecognitionServiceConfiguration,
    modelDescription: String, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRecognitionRouter(
        pool: pool, metrics: metrics, configuration: configuration, modelDescription: modelDescription)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "cairn-asr"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

private func jsonResponse(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
