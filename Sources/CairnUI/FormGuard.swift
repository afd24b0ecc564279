import CairnAuth
import CairnCore
import Hummingbird

/// Protects the UI's state-changing form posts from other sites (cross-site request forgery).
///
/// Every page that shows a post form gives the browser a random token in a `SameSite=Strict`
/// cookie and puts the same token in a hidden field of each form (double submit). A post is
/// accepted only when it is an `application/x-www-form-urlencoded` form, its `Origin` (or, without
/// one, its `Referer`) names this server's host, and its field matches its cookie. Another site can
/// make a browser send a post, but it can neither read the token nor set the cookie.
///
/// ```swift
/// let browser = FormGuard.BrowserToken(request)            // on the page that renders the form
/// let html: Html = "<form method=\"post\">\(browser.field)…</form>"
/// let form = try await FormGuard.checkedForm(request)  // in the post handler
/// ```
enum FormGuard {
    /// The cookie that carries the token.
    static let cookieName = "cairn_form"
    /// The hidden form field that repeats it.
    static let fieldName = "form_token"
    /// Largest form body read (larger ones get 413).
    static let maxFormBytes = 65_536

    /// The browser's form token: the one in its cookie, or a new one to set.
    struct BrowserToken {
        let token: String
        let isNew: Bool

        /// The signed-in session's form token, else the one in the request's cookie, else a new one.
        init(_ request: Request) {
            if case .session(let formToken) = Caller.current?.method {
                token = formToken
                isNew = false
            } else if let existing = request.cookies[FormGuard.cookieName]?.value, FormGuard.isWellFormed(existing) {
                token = existing
                isNew = false
            } else {
                token = Identifiers.hex32()
                isNew = true
            }
        }

        /// The hidden input to put inside every post form.
        var field: Html { "<input type=\"hidden\" name=\"\(FormGuard.fieldName)\" value=\"\(token)\">" }

        /// Adds the cookie to a page response when the token is new.
        func apply(to response: Response) -> Response {
            guard isNew else { return response }
            var response = response
            response.headers[values: .setCookie].append(
                "\(FormGuard.cookieName)=\(token); Path=/; SameSite=Strict; HttpOnly")
            return response
        }
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 32 && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The error every refused post gets.
    static let refused = MlflowError(
        .permissionDenied, "This form was not sent from a page of this server. Reload the page and try again.")

    /// Reads a form post after checking that it came from a page of this server.
    static func checkedForm(_ request: Request) async throws -> QueryString {
        guard isForm(request), sameOrigin(request) else { throw refused }
        let form = try await UIRoutes.form(request)
        if case .session(let formToken) = Caller.current?.method {
            guard let sent = form[fieldName], ConstantTime.equal(sent, formToken) else { throw refused }
            return form
        }
        guard let cookie = request.cookies[cookieName]?.value, isWellFormed(cookie),
            let sent = form[fieldName], ConstantTime.equal(sent, cookie)
        else { throw refused }
        return form
    }

    /// Whether the body is `application/x-www-form-urlencoded` (parameters after `;` aside).
    static func isForm(_ request: Request) -> Bool {
        let media = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        return media == "application/x-www-form-urlencoded"
    }

    /// Whether the request's `Origin` (else `Referer`) names the host it was sent to; a request with
    /// neither (an older browser or a script) is left to the token check.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let host = request.head.authority?.lowercased() else { return false }
        if let origin = request.headers[.origin] {
            return authority(of: origin) == host
        }
        if let referer = request.headers[.referer] {
            return authority(of: referer) == host
        }
        return true
    }

    /// The `host[:port]` of an absolute URL, lowercased; nil for `null` or anything without a scheme.
    static func authority(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        return authority.lowercased()
    }
}
