import CairnCore
import Hummingbird

/// Renders every error a route throws: ``ServiceError``s as themselves, Hummingbird's `HTTPError`s
/// (unknown route, body too large) and anything unexpected through the service's own error shape.
///
/// ```swift
/// router.add(middleware: ServiceErrorMiddleware { status, message in PlainError(status, message) })
/// ```
public struct ServiceErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Builds the service's error for a status and message it did not throw itself.
    public typealias Fallback = @Sendable (HTTPResponse.Status, String) -> any ServiceError

    let fallback: Fallback

    /// Creates the middleware with the service's error shape.
    public init(fallback: @escaping Fallback) {
        self.fallback = fallback
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any ServiceError {
            return error.response
        } catch let error as BodyTooLarge {
            return fallback(.contentTooLarge, error.description).response
        } catch let error as HTTPError {
            let message: String =
                switch error.status.code {
                case 404: "No endpoint at \(request.method.rawValue) \(request.uri.path)"
                case 413: error.body ?? "Request body too large"
                default: error.body ?? error.status.reasonPhrase
                }
            return fallback(error.status, message).response
        } catch {
            context.logger.error("Unhandled error on \(request.method) \(request.uri.path): \(error)")
            return fallback(.internalServerError, "Internal server error: \(error)").response
        }
    }
}
