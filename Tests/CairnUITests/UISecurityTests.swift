import CairnCore
import CairnStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Cross-site form posts, framing, oversized forms and symbolic links in the artifact pages.
@Suite struct UISecurityTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func crossSiteFormPostsAreRefused() async throws {
        try await withUIServer { client, s in
            let token = try await client.formToken()
            #expect(token.count == 32)
            var withCookie = Self.form
            withCookie[.cookie] = "cairn_form=\(token)"

            // Another site's page: right token impossible to know, wrong origin, or text/plain.
            var evil = withCookie
            evil[.origin] = "http://evil.example"
            let foreignOrigin = try await client.postRaw(
                "/experiments", "form_token=\(token)&name=evil1", headers: evil)
            #expect(foreignOrigin.status == 403)
            var evilReferer = withCookie
            evilReferer[.referer] = "http://evil.example/page"
            let foreignReferer = try await client.postRaw(
                "/experiments", "form_token=\(token)&name=evil2", headers: evilReferer)
            #expect(foreignReferer.status == 403)
            let noToken = try await client.postRaw("/experiments", "name=evil3", headers: Self.form)
            #expect(noToken.status == 403)
            let wrongToken = try await client.postRaw(
                "/experiments", "form_token=\(String(repeating: "0", count: 32))&name=evil4", headers: withCookie)
            #expect(wrongToken.status == 403)
            let textPlain = try await client.postRaw(
                "/experiments/\(s.experimentId)/delete", "form_token=\(token)",
                headers: [.contentType: "text/plain", .cookie: "cairn_form=\(token)"])
            #expect(textPlain.status == 403)
            #expect(try await s.store.getExperiment(id: s.experimentId).lifecycleStage == .active)
            for name in ["evil1", "evil2", "evil3", "evil4"] {
                #expect(try await s.store.getExperiment(name: name) == nil)
            }

            // The same post from this server's page goes through.
            var same = withCookie
            same[.origin] = "http://localhost"
            let ok = try await client.postRaw("/experiments", "form_token=\(token)&name=fine", headers: same)
            #expect(ok.status == 303)
        }
    }

    @Test func pagesForbidFramingAndCarryTheTokenInEveryPostForm() async throws {
        try await withUIServer { client, _ in
            let response = try await client.execute(uri: "/", method: .get) { r in
                (r.headers, String(buffer: r.body))
            }
            let (headers, html) = response
            #expect(headers[.init("X-Frame-Options")!] == "DENY")
            #expect(headers[.init("X-Content-Type-Options")!] == "nosniff")
            #expect(headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(headers[.setCookie]?.contains("SameSite=Strict") == true)
            let posts = html.components(separatedBy: "method=\"post\"").count - 1
            #expect(posts >= 3)
            #expect(html.components(separatedBy: "name=\"form_token\"").count - 1 == posts)
        }
    }

    @Test func oversizedFormIsA413() async throws {
        try await withUIServer { client, _ in
            let token = try await client.formToken()
            let big = "form_token=\(token)&name=" + String(repeating: "a", count: 70_000)
            let reply = try await client.postRaw(
                "/experiments", big,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: "cairn_form=\(token)",
                    .origin: "http://localhost",
                ])
            #expect(reply.status == 413)
        }
    }

    @Test func artifactPagesDoNotFollowLinksOutOfTheRoot() async throws {
        try await withUIServer { client, s in
            let outside = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-ui-out-\(UUID())").path
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: outside) }
            try Data("top secret".utf8).write(to: URL(fileURLWithPath: outside + "/secret.txt"))
            let run = try await s.store.getRun(id: s.runIds[0])
            let base = s.artifactRoot + "/" + LocalArtifactStore.proxiedPath(run.info.artifactUri)!
            try FileManager.default.createSymbolicLink(atPath: base + "/leak", withDestinationPath: outside)

            let raw = try await client.page("/runs/\(s.runIds[0])/artifact?path=leak/secret.txt")
            #expect(raw.status == 400)
            #expect(!raw.html.contains("top secret"))
            let preview = try await client.page("/runs/\(s.runIds[0])/artifacts?path=leak/secret.txt")
            #expect(preview.status == 400)
            #expect(!preview.html.contains("top secret"))
            let tree = try await client.page("/runs/\(s.runIds[0])/artifacts")
            #expect(!tree.html.contains("leak"))
        }
    }

    @Test func modelsAreLookedUpByExactNameWhateverTheQuotes() async throws {
        try await withUIServer { client, s in
            for (name, run) in [("it's \"q\"", s.runIds[1]), ("it's q", s.runIds[2])] {
                _ = try await s.store.createRegisteredModel(name: name, tags: [], description: "model " + name)
                _ = try await s.store.createModelVersion(
                    NewModelVersion(name: name, source: "runs:/\(run)/model", runId: run))
            }
            let version = try await client.page("/models/it%27s%20%22q%22/versions/1")
            #expect(version.status == 200)
            #expect(version.html.contains(">run-1</a>"))
            #expect(!version.html.contains(">run-2</a>"))
            let model = try await client.page("/models/it%27s%20%22q%22")
            #expect(model.html.contains(s.runIds[1].prefix(12)))
            #expect(!model.html.contains(s.runIds[2].prefix(12)))
            let search = try await client.page("/models?q=it%27s%20%22q%22")
            #expect(search.html.contains("/models/it%27s%20%22q%22"))
            #expect(!search.html.contains("href=\"/models/it%27s%20q\""))
        }
    }
}
