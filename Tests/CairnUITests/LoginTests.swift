import CairnAuth
import CairnCore
import CairnStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CairnUI

/// The web UI with `--auth`: sign-in, the session cookie, sign-out, the session's form token, and
/// actions hidden from users who may not take them.
@Suite struct LoginTests {
    @Test func signedOutPagesAndFormPostsGoToTheSignInPage() async throws {
        try await withAuthUIServer { client, s in
            let home = try await client.send("/")
            #expect(home.status == 303 && home.location == "/login?next=/")
            let run = try await client.send("/runs/\(s.runId)?tab=1&x=2")
            #expect(run.location == "/login?next=/runs/\(s.runId)%3Ftab%3D1%26x%3D2")

            // A form posted after the session ended comes back to the sign-in page, not to a Basic
            // challenge (which a browser shows as a password dialog); afterwards it returns to the form's page.
            let post = try await client.postSessionForm(
                "/experiments/\(s.shared)/rename", "name=x",
                extra: [.referer: "http://localhost/experiments/\(s.shared)?q=1#top"])
            #expect(post.status == 303 && post.location == "/login?next=/experiments/\(s.shared)%3Fq%3D1")
            let foreign = try await client.postSessionForm(
                "/experiments", "name=x", extra: [.referer: "http://evil.example/experiments/1"])
            #expect(foreign.status == 303 && foreign.location == "/login?next=/")
            #expect(try await s.store.getExperiment(id: s.shared).name == "ana shared")

            // Scripts and API clients still get 401 with a challenge.
            let graphql = try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}")
            ) { ($0.status.code, $0.headers[.wwwAuthenticate]) }
            #expect(graphql.0 == 401 && graphql.1?.hasPrefix("Basic") == true)
        }
    }

    @Test func signInSetsAStrictHttpOnlyCookieAndLandsOnThePageAskedFor() async throws {
        try await withAuthUIServer { client, _ in
            let page = try await client.send("/login?next=/models")
            #expect(page.status == 200)
            #expect(page.html.contains("<input type=\"hidden\" name=\"next\" value=\"/models\">"))
            #expect(page.html.contains("<label for=\"login-username\">User name</label>"))
            #expect(!page.html.contains("<nav aria-label=\"Sections\">"))

            let wrong = try await client.signIn("bo", "not-the-password", next: "/models")
            #expect(wrong.status == 401)
            #expect(
                wrong.html.contains(
                    "<p class=\"error\" role=\"alert\" id=\"login-error\">Invalid username or password."))
            #expect(wrong.html.contains("name=\"username\" value=\"bo\""))
            #expect(wrong.html.contains("value=\"/models\""))
            #expect(wrong.cookie(LoginRoutes.cookieName) == nil)

            let ok = try await client.signIn("bo", "bo-password", next: "/models")
            #expect(ok.status == 303 && ok.location == "/models")
            let header = ok.setCookies.first { $0.hasPrefix(LoginRoutes.cookieName + "=") } ?? ""
            #expect(header.contains("; HttpOnly") && header.contains("; SameSite=Strict") && header.contains("Path=/"))
            #expect(!header.contains("Secure"))
            let session = try #require(ok.cookie(LoginRoutes.cookieName))
            #expect(session.count >= 32)
            let models = try await client.page("/models", session: session)
            #expect(models.status == 200)
            #expect(models.html.contains("<form class=\"account\" method=\"post\" action=\"/logout\"><span>bo</span>"))

            // Signed in, the sign-in page sends the browser on.
            let again = try await client.page("/login?next=/models", session: session)
            #expect(again.status == 303 && again.location == "/models")

            // Behind a TLS proxy the cookie is Secure too; a next pointing off the site becomes /.
            let secure = try await client.signIn(
                "bo", "bo-password", next: "//evil.example/", extra: [.init("X-Forwarded-Proto")!: "https"])
            #expect(secure.location == "/")
            #expect(
                secure.setCookies.contains { $0.hasPrefix(LoginRoutes.cookieName + "=") && $0.hasSuffix("; Secure") })
        }
    }

    @Test func signOutEndsTheSessionForGood() async throws {
        try await withAuthUIServer { client, _ in
            let session = try #require(try await client.signIn("bo", "bo-password").cookie(LoginRoutes.cookieName))
            let token = try #require(try await client.page("/", session: session).formToken)
            // Without the session's form token the sign-out is refused (another site cannot sign a user out).
            let forged = try await client.postSessionForm(
                "/logout", "form_token=\(String(repeating: "0", count: 32))", session: session)
            #expect(forged.status == 403)
            #expect(try await client.page("/", session: session).status == 200)

            let out = try await client.postSessionForm("/logout", "form_token=\(token)", session: session)
            #expect(out.status == 303 && out.location == "/login")
            #expect(out.setCookies.contains { $0.hasPrefix(LoginRoutes.cookieName + "=;") && $0.contains("Max-Age=0") })
            let stale = try await client.page("/", session: session)
            #expect(stale.status == 303 && stale.location == "/login?next=/")
        }
    }

    @Test func signingInAgainEndsTheBrowsersEarlierSession() async throws {
        try await withAuthUIServer { client, _ in
            let first = try #require(try await client.signIn("bo", "bo-password").cookie(LoginRoutes.cookieName))
            let second = try await client.signIn(
                "ana", "ana-password", extra: [.cookie: "\(LoginRoutes.cookieName)=\(first)"])
            let ana = try #require(second.cookie(LoginRoutes.cookieName))
            #expect(try await client.page("/", session: first).status == 303)
            #expect(try await client.page("/", session: ana).html.contains("<span>ana</span>"))
        }
    }

    @Test func formPostsNeedTheSessionsOwnToken() async throws {
        try await withAuthUIServer { client, s in
            let session = try #require(try await client.signIn("bo", "bo-password").cookie(LoginRoutes.cookieName))
            let token = try #require(try await client.page("/", session: session).formToken)
            // A double-submit token of the browser's own making (cookie and field agree) is not the session's.
            let own = String(repeating: "a", count: 32)
            let doubleSubmit = try await client.postSessionForm(
                "/experiments", "form_token=\(own)&name=forged", session: session,
                extra: [.cookie: "cairn_form=\(own)"])
            #expect(doubleSubmit.status == 403)
            let missing = try await client.postSessionForm("/experiments", "name=forged", session: session)
            #expect(missing.status == 403)
            #expect(try await s.store.getExperiment(name: "forged") == nil)
            let created = try await client.postSessionForm(
                "/experiments", "form_token=\(token)&name=bo%20own", session: session)
            #expect(created.status == 303)
            #expect(try await s.store.getExperiment(name: "bo own") != nil)

            // bo holds READ on ana's experiment: with the right token his rename and delete are still refused.
            let rename = try await client.postSessionForm(
                "/experiments/\(s.shared)/rename", "form_token=\(token)&name=bo", session: session)
            let delete = try await client.postSessionForm(
                "/experiments/\(s.shared)/delete", "form_token=\(token)", session: session)
            #expect(rename.status == 403 && delete.status == 403)
            let experiment = try await s.store.getExperiment(id: s.shared)
            #expect(experiment.name == "ana shared" && experiment.lifecycleStage == .active)
        }
    }

    @Test func actionsAreOfferedOnlyToUsersWhoMayTakeThem() async throws {
        try await withAuthUIServer { client, s in
            let bo = try #require(try await client.signIn("bo", "bo-password").cookie(LoginRoutes.cookieName))
            let ana = try #require(try await client.signIn("ana", "ana-password").cookie(LoginRoutes.cookieName))
            let version = "/models/ana-model/versions/1"
            let forms: [(page: String, actions: [String])] = [
                ("/", ["/experiments/\(s.shared)/rename", "/experiments/\(s.shared)/delete"]),
                ("/runs/\(s.runId)", ["rename", "delete", "note", "tags"].map { "/runs/\(s.runId)/\($0)" }),
                ("/models/ana-model", ["/models/ana-model/description"]),
                (version, ["description", "aliases", "stage"].map { "\(version)/\($0)" }),
            ]
            for (path, actions) in forms {
                let asBo = try await client.page(path, session: bo)
                let asAna = try await client.page(path, session: ana)
                #expect(asBo.status == 200 && asAna.status == 200)
                for action in actions {
                    #expect(!asBo.html.contains("action=\"\(action)\""), "bo is offered \(action)")
                    #expect(asAna.html.contains("action=\"\(action)\""), "ana is not offered \(action)")
                }
            }
            // The list shows what bo may read, without an empty actions column; creating stays open.
            let list = try await client.page("/", session: bo)
            #expect(list.html.contains("ana shared") && !list.html.contains("ana denied"))
            #expect(!list.html.contains("<th scope=\"col\">Actions</th>"))
            #expect(list.html.contains("action=\"/experiments\""))
            #expect(try await client.page("/experiments/\(s.denied)", session: bo).status == 403)
            #expect(try await client.page("/", session: ana).html.contains("<th scope=\"col\">Actions</th>"))
        }
    }
}
