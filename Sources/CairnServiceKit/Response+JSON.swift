import Hummingbird
import NIOCore

extension Response {
    /// A JSON response from serialised bytes.
    public static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        -> Response
    {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A plain-text response.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain")
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Request {
    /// Collects the body up to `limit` bytes; larger bodies fail with 413 naming the limit.
    public func readBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw BodyTooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            throw BodyTooLarge(limit: limit)
        }
    }
}

/// A body over the configured limit; services render it in their own shape through the middleware's fallback.
public struct BodyTooLarge: Error, Sendable, CustomStringConvertible {
    /// The limit in bytes.
    public var limit: Int
    public var description: String { "Request body larger than \(limit) bytes (\(limit >> 20) MiB)" }
}
