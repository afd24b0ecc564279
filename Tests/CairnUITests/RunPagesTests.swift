import CairnCore
import CairnStore
import Testing

@Suite struct RunPagesTests {
    @Test func runPageShowsEverythingAboutARun() async throws {
        try await withUIServer { client, s in
            let id = s.runIds[0]
            let page = try await client.page("/runs/\(id)")
            #expect(page.status == 200)
            #expect(page.html.contains("<h1>run-0"))
            #expect(page.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.html.contains("<script>alert(1)"))
            #expect(page.html.contains("class=\"spark\""))
            #expect(page.html.contains("d1g35t"))
            #expect(page.html.contains("value=\"cairn reproduce \(id)\""))
            // A run not made by `cairn run` has nothing `cairn reproduce` could re-run.
            let plain = try await client.page("/runs/\(s.runIds[1])")
            #expect(!plain.html.contains("cairn reproduce \(s.runIds[1])"))
            #expect(plain.html.contains("id=\"reproduce-missing\""))
            #expect(page.html.contains("abcdef01234567890"))
            #expect(page.html.contains("source/changes.diff"))
            #expect(page.html.contains("href=\"/models/digits-clf/versions/1\""))
            #expect(page.html.contains("notes.txt"))
        }
    }

    @Test func artifactBrowserPreviewsFiles() async throws {
        try await withUIServer { client, s in
            let id = s.runIds[0]
            let text = try await client.page("/runs/\(id)/artifacts?path=notes.txt")
            #expect(text.status == 200)
            #expect(text.html.contains("hello &lt;world&gt;"))
            let csv = try await client.page("/runs/\(id)/artifacts?path=metrics.csv")
            #expect(csv.html.contains("<th scope=\"col\">loss</th>"))
            #expect(csv.html.contains("<td>0.5</td>"))
            let svg = try await client.page("/runs/\(id)/artifacts?path=plots/curve.svg")
            #expect(svg.html.contains("<img class=\"artifact-image\""))
            let raw = try await client.page("/runs/\(id)/artifact?path=plots/curve.svg")
            #expect(raw.status == 200)
            #expect(raw.contentType == "image/svg+xml")
            #expect(raw.html == "<svg/>")
            let missing = try await client.page("/runs/\(id)/artifacts?path=nope.txt")
            #expect(missing.status == 404)
            let traversal = try await client.page("/runs/\(id)/artifacts?path=../../etc/passwd")
            #expect(traversal.status == 400)
        }
    }

    @Test func unknownRunIsA404Page() async throws {
        try await withUIServer { client, _ in
            let page = try await client.page("/runs/0123456789abcdef")
            #expect(page.status == 404)
            #expect(page.html.contains("Not found"))
            #expect(page.html.contains("Run with id=0123456789abcdef not found"))
        }
    }

    @Test func comparePageOverlaysHistoriesAndMarksDifferences() async throws {
        try await withUIServer { client, s in
            let query = s.runIds.map { "runs=\($0)" }.joined(separator: "&")
            let page = try await client.page("/compare?\(query)&scale=log&x=time&param=lr&metric=acc")
            #expect(page.status == 200)
            // loss is a history (one line per run); acc is logged once per run, so it is drawn as bars.
            #expect(page.html.components(separatedBy: "<figure class=\"chart\" id=").count == 2)
            #expect(page.html.components(separatedBy: "class=\"line\"").count == 4)
            #expect(page.html.contains("<figure class=\"chart bars\" id="))
            #expect(page.html.contains("log scale"))
            #expect(page.html.contains("<tr class=\"diff\"><th scope=\"row\">lr"))
            #expect(page.html.contains("<tr><th scope=\"row\">layers</th>"))
            #expect(page.html.contains("metrics.acc against params.lr"))
            let none = try await client.page("/compare")
            #expect(none.status == 400)
            let unknown = try await client.page("/compare?runs=ffff")
            #expect(unknown.status == 404)
        }
    }

    @Test func modelPagesLinkVersionsToRuns() async throws {
        try await withUIServer { client, s in
            let list = try await client.page("/models")
            #expect(list.html.contains("href=\"/models/digits-clf\""))
            #expect(list.html.contains("@champion → v1"))
            let model = try await client.page("/models/digits-clf")
            #expect(model.html.contains("href=\"/runs/\(s.runIds[0])\""))
            let version = try await client.page("/models/digits-clf/versions/1")
            #expect(version.status == 200)
            #expect(version.html.contains("Trained by run <a href=\"/runs/\(s.runIds[0])\">run-0</a>"))
            #expect(try await client.page("/models/nope").status == 404)
            #expect(try await client.page("/models/digits-clf/versions/9").status == 404)
            #expect(try await client.page("/models/digits-clf/versions/x").status == 400)
        }
    }
}

@Suite struct WeirdInputTests {
    @Test func modelNamesWithSpacesQuotesAndSlashesRoundTrip() async throws {
        try await withUIServer { client, s in
            let name = "team/clf v2 'beta' <x>"
            _ = try await s.store.createRegisteredModel(name: name, tags: [], description: nil)
            _ = try await s.store.createModelVersion(NewModelVersion(name: name, source: "s3://bucket/model"))
            let list = try await client.page("/models")
            let href = "/models/team%2Fclf%20v2%20%27beta%27%20%3Cx%3E"
            #expect(list.html.contains("href=\"\(href)\""))
            let model = try await client.page(href)
            #expect(model.status == 200)
            #expect(model.html.contains("<h1>team/clf v2 &#39;beta&#39; &lt;x&gt;</h1>"))
            let version = try await client.page(href + "/versions/1")
            #expect(version.status == 200)
        }
    }

    @Test(arguments: [
        "/runs/%00", "/runs/x'y", "/experiments/1?p=99999999999999999999", "/compare?runs=%27",
        "/runs/abc/artifacts?path=%2e%2e/x",
    ])
    func oddRequestsGetAnErrorPageNotACrash(path: String) async throws {
        try await withUIServer { client, _ in
            let page = try await client.page(path)
            #expect([400, 404].contains(page.status))
            #expect(page.html.contains("role=\"alert\""))
        }
    }
}
