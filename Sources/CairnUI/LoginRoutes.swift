import CairnAuth
import CairnCore
import Foundation
import Hummingbird

/// The sign-in page, sign-in and sign-out of the web UI when the server runs with `--auth`.
///
/// A successful sign-in opens a session stored (hashed) in the database and sets it as an `HttpOnly`,
/// `SameSite=Strict` cookie (`Secure` when the request came over HTTPS); every state-changing form of
/// the session must repeat the session's form token.
public enum LoginRoutes {
    /// The session cookie.
    public static let cookieName = "cairn_session"

    /// Adds `/login` and `/logout`.
    static func register<Context: RequestContext>(on router: Router<Context>, auth: AuthService?) {
        router.get("login") { request, _ in
            guard auth != nil else { return UIRoutes.redirect("/") }
            let next = safeNext(QueryString(request.uri.query)["next"])
            // A browser already signed in goes on to the page it asked for.
            if case .session = Caller.current?.method { return UIRoutes.redirect(next) }
            return UIRoutes.html(LoginPage.render(next: next, message: nil))
        }
        router.post("login") { request, _ in
            guard let auth else { return UIRoutes.redirect("/") }
            let form: QueryString
            do {
                form = try await loginForm(request)
            } catch let error as MlflowError {
                return UIRoutes.html(LoginPage.render(next: "/", message: error.message), status: error.code.httpStatus)
            }
            let next = safeNext(form["next"])
            let username = form["username"] ?? ""
            do {
                let (cookie, _) = try await auth.signIn(
                    username: username, password: form["password"] ?? "", address: Caller.address)
                // The session this browser had before (another user's, say) ends with the new sign-in.
                if let old = request.cookies[cookieName]?.value, !old.isEmpty {
                    try await auth.signOut(sessionCookie: old)
                }
                var response = UIRoutes.redirect(next)
                response.headers[values: .setCookie].append(
                    "\(cookieName)=\(cookie); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(AuthService.sessionLifetime / 1000)"
                        + (isSecure(request) ? "; Secure" : ""))
                return response
            } catch let error as MlflowError {
                return UIRoutes.html(
                    LoginPage.render(next: next, message: error.message, username: username),
                    status: error.code.httpStatus)
            }
        }
        router.post("logout") { request, _ in
            guard let auth else { return UIRoutes.redirect("/") }
            do {
                _ = try await FormGuard.checkedForm(request)
            } catch let error as MlflowError {
                return UIRoutes.html(
                    ErrorPage.render(status: error.code.httpStatus, message: error.message),
                    status: error.code.httpStatus)
            }
            if let cookie = request.cookies[cookieName]?.value { try await auth.signOut(sessionCookie: cookie) }
            var response = UIRoutes.redirect("/login")
            response.headers[values: .setCookie].append(
                "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (isSecure(request) ? "; Secure" : ""))
            return response
        }
    }

    /// Reads the sign-in form after checking it came from this server's page (no session exists yet, so
    /// the origin check is what stops another site from signing a browser in).
    static func loginForm(_ request: Request) async throws -> QueryString {
        guard isFormPost(request), sameOrigin(request) else { throw FormGuard.refused }
        return try await UIRoutes.form(request)
    }

    /// Whether the body is an HTML form's (`application/x-www-form-urlencoded`), as every UI post is.
    public static func isFormPost(_ request: Request) -> Bool { FormGuard.isForm(request) }

    /// Whether the request's `Origin` (else `Referer`) names this server; true when it carries neither.
    public static func sameOrigin(_ request: Request) -> Bool { FormGuard.sameOrigin(request) }

    /// A redirect to the sign-in page that comes back to `next` afterwards.
    public static func redirectToLogin(next: String) -> Response {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let encoded = next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
        return UIRoutes.redirect("/login?next=\(encoded)")
    }

    /// A redirect to the sign-in page for a form posted without a live session (it ended, or the browser
    /// never had one): afterwards the browser returns to the page the form was on, when that page was ours.
    public static func redirectToLogin(afterPost request: Request) -> Response {
        guard let referer = request.headers[.referer], let host = request.head.authority?.lowercased(),
            FormGuard.authority(of: referer) == host, let schemeEnd = referer.range(of: "://"),
            let pathStart = referer[schemeEnd.upperBound...].firstIndex(of: "/")
        else { return redirectToLogin(next: "/") }
        let path = String(referer[pathStart...].prefix { $0 != "#" })
        return redirectToLogin(next: safeNext(path))
    }

    /// A local path to return to after signing in; anything else (another host, `//host`) becomes `/`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/" }
        return next
    }

    /// Whether the browser talks HTTPS to us (directly or through a proxy that says so).
    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
