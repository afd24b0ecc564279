import CairnAuth
import CairnCore
import CairnUI
import Foundation
import Hummingbird

/// Identifies the caller of every request and binds it (``Caller/current``) for the handlers.
///
/// Credentials are, in order: `Authorization: Basic` (user name and password, as the mlflow client sends
/// them from `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD`), `Authorization: Bearer` (an API
/// token, `MLFLOW_TRACKING_TOKEN`), or the web UI's session cookie. Wrong credentials get 401 even on
/// open paths. Without credentials, API calls get 401 with a Basic challenge and pages redirect to the
/// sign-in page; only health, version, server-info, the API schema, the sign-in page and the UI's
/// static files are open. Without an ``AuthService`` only the client address is bound.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let auth: AuthService?

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "-"
        return try await Caller.$address.withValue(address) {
            guard let auth else { return try await next(request, context) }
            let path = request.uri.path
            let caller: Caller?
            do {
                caller = try await identify(request, auth: auth, address: address)
            } catch let error as MlflowError where error.code == .unauthenticated {
                return Self.challenge(error, path: path, request: request)
            }
            guard let caller else {
                if Self.isOpen(path) { return try await next(request, context) }
                return Self.challenge(
                    MlflowError(
                        .unauthenticated,
                        "You are not authenticated. Set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, "
                            + "or MLFLOW_TRACKING_TOKEN, or sign in at /login."),
                    path: path, request: request)
            }
            if case .session = caller.method, request.method != .get, request.method != .head,
                !UIRoutes.isPagePath(path), !LoginRoutes.sameOrigin(request)
            {
                throw MlflowError(.permissionDenied, "Cross-site request refused.")
            }
            return try await Caller.$current.withValue(caller) { try await next(request, context) }
        }
    }

    /// The caller named by the request's credentials; nil when it carries none.
    func identify(_ request: Request, auth: AuthService, address: String) async throws -> Caller? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            let scheme = parts.first?.lowercased() ?? ""
            let value = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
            switch scheme {
            case "basic":
                guard let (username, password) = Self.basicCredentials(value) else {
                    throw MlflowError(.unauthenticated, "Malformed Basic credentials.")
                }
                return try await auth.authenticate(username: username, password: password, address: address)
            case "bearer":
                return try await auth.authenticate(token: value, address: address)
            default:
                throw MlflowError(.unauthenticated, "Unsupported Authorization scheme; use Basic or Bearer.")
            }
        }
        if let cookie = request.cookies[LoginRoutes.cookieName]?.value, !cookie.isEmpty {
            // A stale cookie is no credential: the page asks the browser to sign in again.
            return try await auth.authenticate(sessionCookie: cookie, address: address)
        }
        return nil
    }

    /// Decodes `base64(user:password)`.
    static func basicCredentials(_ encoded: String) -> (String, String)? {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// Paths anyone may call.
    static func isOpen(_ path: String) -> Bool {
        if ["/health", "/version", "/login", "/api/openapi.json", "/favicon.ico"].contains(path) { return true }
        if path.hasPrefix("/static/") || path.hasPrefix("/assets/") { return true }
        return path.hasSuffix("/mlflow/server-info")
    }

    /// 401 for API calls (with a Basic challenge), a redirect to the sign-in page for pages and for the
    /// pages' form posts (a Basic challenge there would make the browser ask for a password in a dialog).
    static func challenge(_ error: MlflowError, path: String, request: Request) -> Response {
        if UIRoutes.isPagePath(path) {
            if request.method == .get || request.method == .head {
                return LoginRoutes.redirectToLogin(next: request.uri.description)
            }
            if request.method == .post && LoginRoutes.isFormPost(request) {
                return LoginRoutes.redirectToLogin(afterPost: request)
            }
        }
        var response = MlflowErrorMiddleware<Context>.response(error)
        response.headers[.wwwAuthenticate] = "Basic realm=\"cairn\", charset=\"UTF-8\""
        return response
    }
}
