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
            let query = QueryString(request.uri.query)
            return UIRoutes.html(LoginPage.render(next: safeNext(query["next"]), message: nil))
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
            do {
                let (cookie, _) = try await auth.signIn(
                    username: form["username"] ?? "", password: form["password"] ?? "", address: Caller.address)
                var response = UIRoutes.redirect(next)
                response.headers[values: .setCookie].append(
                    "\(cookieName)=\(cookie); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(AuthService.sessionLifetime / 1000)"
                        + (isSecure(request) ? "; Secure" : ""))
                return response
            } catch let error as MlflowError {
                return UIRoutes.html(
                    LoginPage.render(next: next, message: error.message), status: error.code.httpStatus)
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
        let media = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard media == "application/x-www-form-urlencoded", sameOrigin(request) else { throw FormGuard.refused }
        return try await UIRoutes.form(request)
    }

    /// Whether the request's `Origin` (else `Referer`) names this server; true when it carries neither.
    public static func sameOrigin(_ request: Request) -> Bool { FormGuard.sameOrigin(request) }

    /// A redirect to the sign-in page that comes back to `next` afterwards.
    public static func redirectToLogin(next: String) -> Response {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let encoded = next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
        return UIRoutes.redirect("/login?next=\(encoded)")
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
