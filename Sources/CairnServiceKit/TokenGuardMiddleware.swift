import Foundation
import Hummingbird

/// Lets a request through only when it carries an accepted token, except on the open paths
/// (health and readiness probes, `/metrics`).
///
/// Clients send `Authorization: Bearer <token>`, or HTTP Basic with the token as the password and
/// any user name. A request without one, or with one that is not accepted, gets 401 with
/// `WWW-Authenticate: Bearer realm="cairn"` and the service's own error body. Tokens are never
/// logged.
///
/// ```swift
/// let tokens = try AccessTokens(path: "tokens", logger: logger)
/// router.add(middleware: TokenGuardMiddleware(tokens: tokens, openPaths: ["/health", "/metrics"]) {
///     PlainError($0, $1)
/// })
/// ```
public struct TokenGuardMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The challenge sent with every 401.
    public static var challenge: String { "Bearer realm=\"cairn\"" }

    let tokens: AccessTokens
    let openPaths: Set<String>
    let errorShape: ServiceErrorMiddleware<Context>.Fallback

    /// Creates the guard: `openPaths` are matched exactly; `errorShape` renders the 401 body.
    public init(
        tokens: AccessTokens, openPaths: Set<String>,
        errorShape: @escaping ServiceErrorMiddleware<Context>.Fallback
    ) {
        self.tokens = tokens
        self.openPaths = openPaths
        self.errorShape = errorShape
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        let message: String
        if let presented = Self.credential(request.headers[.authorization]) {
            if tokens.accepts(presented) { return try await next(request, context) }
            message = "The token was not accepted."
        } else {
            message = "This endpoint needs a token: send the header 'Authorization: Bearer <token>'."
        }
        context.logger.debug("Refused \(request.method) \(request.uri.path): \(message)")
        var response = errorShape(.unauthorized, message).response
        response.headers[.wwwAuthenticate] = Self.challenge
        return response
    }

    /// The token in an `Authorization` header: a Bearer token, or the password of Basic
    /// credentials; nil when there is none.
    static func credential(_ header: String?) -> [UInt8]? {
        guard let header else { return nil }
        let value = header.trimmingCharacters(in: .whitespaces)
        guard let space = value.firstIndex(of: " ") else { return nil }
        let scheme = value[..<space].lowercased()
        let rest = value[space...].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "bearer":
            return rest.isEmpty ? nil : Array(rest.utf8)
        case "basic":
            guard let decoded = Data(base64Encoded: rest), let colon = decoded.firstIndex(of: 0x3A) else {
                return nil
            }
            let password = Array(decoded[decoded.index(after: colon)...])
            return password.isEmpty ? nil : password
        default:
            return nil
        }
    }
}

extension Router {
    /// Requires an accepted token on every route but `openPaths` when `tokens` is set; does
    /// nothing when it is nil (a service started without a token file).
    public func requireTokens(
        _ tokens: AccessTokens?, openPaths: Set<String>,
        errorShape: @escaping ServiceErrorMiddleware<Context>.Fallback
    ) {
        guard let tokens else { return }
        add(middleware: TokenGuardMiddleware(tokens: tokens, openPaths: openPaths, errorShape: errorShape))
    }
}
