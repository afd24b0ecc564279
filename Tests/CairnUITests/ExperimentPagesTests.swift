import CairnCore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ExperimentPagesTests {
    @Test func experimentsListShowsCountsAndEscapesNames() async throws {
        try await withUIServer { client, s in
            let page = try await client.page("/")
            #expect(page.status == 200)
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(page.html.contains("vision &lt;b&gt;&amp;&lt;/b&gt;"))
            #expect(!page.html.contains("vision <b>"))
            #expect(page.html.contains("href=\"/experiments/\(s.experimentId)\""))
            #expect(page.html.contains("<td class=\"num\">6</td>"))
            let searched = try await client.page("/?q=VISION")
            #expect(searched.html.contains("/experiments/\(s.experimentId)"))
            let none = try await client.page("/?q=nothing-like-this")
            #expect(none.html.contains("No experiments match."))
        }
    }

    @Test func createRenameAndDeleteExperiments() async throws {
        try await withUIServer { client, s in
            let created = try await client.postForm("/experiments", "name=new+one%21")
            #expect(created.status == 303)
            let id = try #require(created.location?.split(separator: "/").last.map(String.init))
            #expect(try await s.store.getExperiment(id: id).name == "new one!")
            let renamed = try await client.postForm("/experiments/\(id)/rename", "name=renamed")
            #expect(renamed.status == 303)
            #expect(try await s.store.getExperiment(id: id).name == "renamed")
            let deleted = try await client.postForm("/experiments/\(id)/delete", "")
            #expect(deleted.status == 303)
            #expect(try await s.store.getExperiment(id: id).lifecycleStage == .deleted)
            let empty = try await client.postForm("/experiments", "name=")
            #expect(empty.status == 400)
            let nul = try await client.postForm("/experiments", "name=evil%00tail")
            #expect(nul.status == 400)
            #expect(try await s.store.getExperiment(name: "evil") == nil)
            let long = try await client.postForm("/experiments", "name=" + String(repeating: "n", count: 501))
            #expect(long.status == 400)
        }
    }

    @Test func runsTableGroupsSweepsAndShowsColumns() async throws {
        try await withUIServer { client, s in
            let page = try await client.page(
                "/experiments/\(s.experimentId)?col=metrics.acc&col=params.lr&order=metrics.acc+DESC")
            #expect(page.status == 200)
            #expect(page.html.contains("Top-level runs 1–4 of 4"))
            #expect(page.html.contains("data-toggle=\"\(s.parentId)\""))
            #expect(page.html.contains("data-parent=\"\(s.parentId)\" hidden"))
            #expect(page.html.contains(">0.82</td>"))
            #expect(page.html.contains("<code>abcdef01</code>"))
            #expect(page.html.contains("aria-sort=\"descending\""))
            let acc2 = try #require(page.html.range(of: "run-2"))
            let acc0 = try #require(page.html.range(of: "run-0"))
            #expect(acc2.lowerBound < acc0.lowerBound)
            let flat = try await client.page("/experiments/\(s.experimentId)?flat=1")
            #expect(flat.html.contains("Runs 1–6 of 6"))
        }
    }

    @Test func filterNarrowsRunsAndBadFiltersShowTheParserMessage() async throws {
        try await withUIServer { client, s in
            let good = try await client.page("/experiments/\(s.experimentId)?filter=params.lr+%3D+%270.02%27")
            #expect(good.status == 200)
            #expect(good.html.contains("run-1"))
            #expect(!good.html.contains(">run-0<"))
            let bad = try await client.page("/experiments/\(s.experimentId)?filter=metrics.acc+%3E+%27x%27")
            #expect(bad.status == 400)
            #expect(bad.html.contains("id=\"filter-error\""))
            #expect(bad.html.contains("Expected numeric value type for metric"))
            #expect(bad.html.contains("value=\"metrics.acc &gt; &#39;x&#39;\""))
            let badOrder = try await client.page("/experiments/\(s.experimentId)?order=nonsense.x")
            #expect(badOrder.status == 400)
            #expect(badOrder.html.contains("Invalid entity type"))
        }
    }

    @Test(arguments: ["/experiments/424242", "/experiments/abc", "/experiments/0?p=999", "/experiments/0?p=-1"])
    func badExperimentRequestsGetErrorPages(path: String) async throws {
        try await withUIServer { client, _ in
            let page = try await client.page(path)
            #expect(page.status == 404 || page.status == 400)
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(page.html.contains("role=\"alert\""))
        }
    }

    @Test func apiRoutesStillAnswerJSON() async throws {
        try await withUIServer { client, _ in
            let health = try await client.page("/health")
            #expect(health.html == "OK")
            let api = try await client.page("/api/2.0/mlflow/experiments/search?max_results=5")
            #expect(api.contentType.hasPrefix("application/json"))
            let missing = try await client.page("/api/2.0/mlflow/nope")
            #expect(missing.status == 404)
            #expect(missing.contentType.hasPrefix("application/json"))
        }
    }
}

@Suite struct UnknownPageTests {
    @Test func browsersGetAnHTMLNotFoundPageAndClientsGetJSON() async throws {
        try await withUIServer { client, _ in
            let html = try await client.execute(uri: "/no/such/page", method: .get, headers: [.accept: "text/html"]) {
                ($0.status.code, $0.headers[.contentType] ?? "", String(buffer: $0.body))
            }
            #expect(html.0 == 404)
            #expect(html.1.hasPrefix("text/html"))
            #expect(html.2.contains("There is no page at /no/such/page."))
            let api = try await client.execute(
                uri: "/api/2.0/mlflow/nothing", method: .get, headers: [.accept: "text/html"]
            ) { ($0.status.code, $0.headers[.contentType] ?? "") }
            #expect(api.0 == 404)
            #expect(api.1.hasPrefix("application/json"))
        }
    }
}
