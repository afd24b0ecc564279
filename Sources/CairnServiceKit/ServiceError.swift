import CairnCore
import Hummingbird

/// An error that knows the HTTP status and JSON body it travels to the client as.
///
/// Services throw these from their routes; ``ServiceErrorMiddleware`` renders them — the one place a
/// service's errors become HTTP responses.
///
/// ```swift
/// router.get("/thing") { _, _ -> Response in
///     throw PlainError(.notFound, "no such thing")   // 404 {"error": "no such thing"}
/// }
/// ```
public protocol ServiceError: Error, Sendable {
    /// The HTTP status of the response.
    var status: HTTPResponse.Status { get }
    /// Writes the JSON body (an object).
    func writeBody(_ w: inout JSONWriter)
}

extension ServiceError {
    /// The error as a JSON response.
    public var response: Response {
        var w = JSONWriter()
        writeBody(&w)
        return Response.json(w.bytes, status: status)
    }
}

/// An error rendered as `{"error": message}`: the shape of the Open Inference Protocol and of
/// Cairn's own small services.
public struct PlainError: ServiceError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A message for people; clients show it as is.
    public var message: String

    /// Creates an error with a status and a message.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public func writeBody(_ w: inout JSONWriter) {
        w.object { $0.field("error", message) }
    }

    public var description: String { "\(status.code): \(message)" }
}

/// MLflow's `{"error_code", "message"}` errors, with the status their code maps to.
extension MlflowError: ServiceError {
    public var status: HTTPResponse.Status { .init(code: code.httpStatus) }

    public func writeBody(_ w: inout JSONWriter) {
        w.object { w in
            w.field("error_code", code.rawValue)
            w.field("message", message)
        }
    }

    /// This error with another HTTP status (e.g. MLflow's scoring server answers 415 or 504 with `BAD_REQUEST`).
    public func with(status: HTTPResponse.Status) -> some ServiceError {
        StatusOverride(error: self, status: status)
    }
}

struct StatusOverride<Base: ServiceError>: ServiceError {
    var error: Base
    var status: HTTPResponse.Status
    func writeBody(_ w: inout JSONWriter) { error.writeBody(&w) }
}
