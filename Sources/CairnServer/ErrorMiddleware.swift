import CairnCore
import CairnUI
import Hummingbird
import Logging

/// Renders every error as MLflow's `{"error_code", "message"}` JSON with the status of
/// ``ErrorCode/httpStatus`` — the one place where errors become HTTP responses. A browser asking
/// for an unknown page outside the API gets the UI's HTML "not found" page instead.
struct MlflowErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as MlflowError {
            return Self.response(error)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = OpenAPIDocument.allowedMethods(path: request.uri.path)
            if !allowed.isEmpty && !allowed.contains(request.method) {
                var response = Self.response(
                    MlflowError(
                        .badRequest,
                        "Method \(request.method.rawValue) is not allowed on \(request.uri.path); use "
                            + allowed.map(\.rawValue).joined(separator: " or ") + "."),
                    status: .methodNotAllowed)
                // RFC 9110: a 405 lists the methods the resource does support.
                response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                return response
            }
            if UIRoutes.isPagePath(request.uri.path), request.headers[.accept]?.contains("text/html") == true {
                return UIRoutes.notFoundPage(path: request.uri.path)
            }
            return Self.response(
                MlflowError(.endpointNotFound, "No API endpoint at \(request.method.rawValue) \(request.uri.path)"),
                status: .notFound)
        } catch let error as HTTPError {
            let code: ErrorCode =
                switch error.status.code {
                case 404: .endpointNotFound
                case 400, 411, 413, 415: .badRequest
                default: .internalError
                }
            let message =
                error.status.code == 404
                ? "No API endpoint at \(request.method.rawValue) \(request.uri.path)"
                : (error.body ?? error.status.reasonPhrase)
            return Self.response(MlflowError(code, message), status: .init(code: error.status.code))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // A body read past a route's limit (NIO's too-many-bytes error).
            return Self.response(
                MlflowError(.resourceLimitExceeded, "The request body is larger than this endpoint accepts."))
        } catch {
            context.logger.error("Unhandled error on \(request.method) \(request.uri.path): \(error)")
            return Self.response(MlflowError(.internalError, "Internal server error: \(error)"))
        }
    }

    static func response(_ error: MlflowError, status: HTTPResponse.Status? = nil) -> Response {
        var w = JSONWriter()
        w.object { w in
            w.field("error_code", error.code.rawValue)
            w.field("message", error.message)
        }
        return Response(
            status: status ?? .init(code: error.code.httpStatus),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }
}
