import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends clips to a recognition service's `POST /v1/recognize` (one attempt per call).
public struct RecognitionClient: Sendable {
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

    public init(url: String, timeoutSeconds: Int64 = 120) throws {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw Failure(
                message: "the recognition service URL must start with http:// or https:// (got '\(url)')",
                retryable: false)
        }
        baseURL = base
        http = HTTPClient.shared
        timeout = .seconds(timeoutSeconds)
    }

    /// Sends one WAV clip; returns its transcript.
    public func recognize(wav: [UInt8]) async throws(Failure) -> String {
        var request = HTTPClientRequest(url: baseURL + "/v1/recognize")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "audio/wav")
        request.headers.add(name: "User-Agent", value: "cairn-speech-stream")
        request.body = .bytes(ByteBuffer(bytes: wav))
        let response: HTTPClientResponse
        let bytes: [UInt8]
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = Array(try await response.body.collect(upTo: 4 << 20).readableBytesView)
        } catch {
            throw Failure(message: "cannot reach \(baseURL): \(error)", retryable: true)
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        guard response.status == .ok else {
            let detail = json?["error"] as? String ?? String(decoding: bytes.prefix(200), as: UTF8.self)
            throw Failure(
                message: "HTTP \(response.status.code) from \(baseURL): \(detail)",
                retryable: response.status.code >= 500)
        }
        guard let text = json?["text"] as? String else {
            throw Failure(message: "the service answered without a \"text\" field", retryable: false)
        }
        return text
    }
}
