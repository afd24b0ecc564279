import AsyncHTTPClient
import CairnCore
import Foundation
import NIOCore

/// Sends clips to a recognition service's `POST /v1/recognize` (one attempt per call).
///
/// The client owns its HTTP connection pool, configured not to retry failed connection attempts
/// internally: an unreachable service fails the attempt at once, so the caller's retry policy
/// (and its retry count) sees every outage. Call ``shutdown()`` when done.
public final class RecognitionClient: Sendable {
    /// Why one attempt failed, and whether trying again can help.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// True for connection failures, timeouts and 5xx answers; false for 4xx (the clip itself is refused).
        public var retryable: Bool
        public var description: String { message }
    }

    /// The service's base URL, e.g. `http://127.0.0.1:8000`.
    public let baseURL: String
    private let http: HTTPClient
    private let timeout: TimeAmount
    private let token: String?

    /// Creates a client for the service at `url`; `token` is sent as `Authorization: Bearer` to a
    /// service started with `--auth-token-file`.
    public init(url: String, token: String? = nil, timeoutSeconds: Int64 = 120) throws {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw Failure(
                message: "the recognition service URL must start with http:// or https:// (got '\(url)')",
                retryable: false)
        }
        baseURL = base
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(5), read: .seconds(timeoutSeconds)))
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        timeout = .seconds(timeoutSeconds)
        self.token = token
    }

    /// Closes the connection pool.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Sends one WAV clip; returns its transcript. `limit` bounds this attempt (default: the
    /// client's timeout).
    public func recognize(wav: [UInt8], within limit: Duration? = nil) async throws(Failure) -> String {
        var request = HTTPClientRequest(url: baseURL + "/v1/recognize")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "audio/wav")
        request.headers.add(name: "User-Agent", value: "cairn-speech-stream")
        if let token { request.headers.add(name: "Authorization", value: "Bearer " + token) }
        request.body = .bytes(ByteBuffer(bytes: wav))
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            let attemptTimeout = limit.map { TimeAmount.nanoseconds(Int64($0.seconds * 1e9)) } ?? timeout
            response = try await http.execute(request, timeout: min(attemptTimeout, timeout))
            bytes = Array(try await response.body.collect(upTo: 4 << 20).readableBytesView)
        } catch {
            throw Failure(message: "cannot reach \(baseURL): \(error)", retryable: true)
        }
        let json = (try? JSONParser.parse(bytes))?.objectValue
        guard response.status == .ok else {
            let detail = json?["error"]?.stringValue ?? String(decoding: bytes.prefix(200), as: UTF8.self)
            throw Failure(
                message: "HTTP \(response.status.code) from \(baseURL): \(detail)",
                retryable: response.status.code >= 500)
        }
        guard let text = json?["text"]?.stringValue else {
            throw Failure(message: "the service answered without a \"text\" field", retryable: false)
        }
        return text
    }
}
