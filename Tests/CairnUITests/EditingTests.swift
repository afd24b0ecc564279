import CairnCore
import CairnStore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CairnUI

/// Renaming, tagging, noting, deleting and restoring runs, and managing model versions, from the pages.
@Suite struct EditingTests {
    @Test func runIsRenamedTaggedNotedDeletedAndRestored() async throws {
        try await withUIServer { client, s in
            let id = s.runIds[1]
            let page = try await client.page("/runs/\(id)")
            for action in ["rename", "tags", "tags/delete", "note", "delete"] {
                #expect(page.html.contains("action=\"/runs/\(id)/\(action)\""))
            }
            #expect(try await client.postForm("/runs/\(id)/rename", "name=renamed+%3Cb%3E").location == "/runs/\(id)")
            #expect(try await s.store.getRun(id: id).info.runName == "renamed <b>")
            #expect(try await client.postForm("/runs/\(id)/tags", "key=owner&value=ana+%26+bo").status == 303)
            #expect(try await s.store.getRun(id: id).tags.contains(KeyValue("owner", "ana & bo")))
            #expect(try await client.postForm("/runs/\(id)/note", "note=First+line%0D%0A%3Cscript%3E").status == 303)
            let noted = try await client.page("/runs/\(id)")
            #expect(noted.html.contains("<h1>renamed &lt;b&gt;"))
            #expect(noted.html.contains("<div class=\"note\">First line\n&lt;script&gt;</div>"))
            #expect(noted.html.contains("<th scope=\"row\">owner</th><td>ana &amp; bo</td>"))
            #expect(try await client.postForm("/runs/\(id)/tags/delete", "key=owner").status == 303)
            #expect(!(try await s.store.getRun(id: id).tags.contains { $0.key == "owner" }))
            #expect(try await client.postForm("/runs/\(id)/note", "note=").status == 303)
            #expect(!(try await s.store.getRun(id: id).tags.contains { $0.key == RunActions.noteTag }))

            #expect(try await client.postForm("/runs/\(id)/delete", "").status == 303)
            #expect(try await s.store.getRun(id: id).info.lifecycleStage == .deleted)
            let deleted = try await client.page("/runs/\(id)")
            #expect(deleted.html.contains("This run is deleted"))
            #expect(deleted.html.contains("action=\"/runs/\(id)/restore\""))
            let listed = try await client.page("/experiments/\(s.experimentId)")
            #expect(!listed.html.contains("href=\"/runs/\(id)\""))
            #expect(try await client.postForm("/runs/\(id)/restore", "").status == 303)
            #expect(try await s.store.getRun(id: id).info.lifecycleStage == .active)
        }
    }

    @Test(arguments: [
        ("rename", "name="), ("tags", "key=&value=x"), ("tags", "key=mlflow.user&value=x"),
        ("tags", "key=a%00b&value=x"),
        ("tags/delete", "key="),
    ])
    func badRunEditsAreA400(action: String, body: String) async throws {
        try await withUIServer { client, s in
            let result = try await client.postForm("/runs/\(s.runIds[0])/\(action)", body)
            #expect(result.status == 400)
            #expect(try await s.store.getRun(id: s.runIds[0]).info.runName == "run-0")
        }
    }

    @Test func editsOfAMissingRunAreA404() async throws {
        try await withUIServer { client, _ in
            let rename = try await client.postForm("/runs/ffff0000/rename", "name=x")
            let delete = try await client.postForm("/runs/ffff0000/delete", "")
            #expect(rename.status == 404)
            #expect(delete.status == 404)
        }
    }

    @Test func modelVersionIsAliasedStagedAndDescribed() async throws {
        try await withUIServer { client, s in
            let base = "/models/digits-clf/versions/1"
            let page = try await client.page(base)
            #expect(page.html.contains("action=\"\(base)/aliases\""))
            #expect(page.html.contains("action=\"\(base)/stage\""))
            #expect(try await client.postForm(base + "/aliases", "alias=staging-candidate").location == base)
            #expect(try await s.store.modelVersion(name: "digits-clf", alias: "staging-candidate").version == 1)
            #expect(try await client.postForm(base + "/aliases/delete", "alias=champion").status == 303)
            #expect(try await s.store.modelVersion(name: "digits-clf", version: 1).aliases == ["staging-candidate"])
            #expect(try await client.postForm(base + "/stage", "stage=Production&archive_existing=1").status == 303)
            #expect(try await s.store.modelVersion(name: "digits-clf", version: 1).currentStage == .production)
            #expect(try await client.postForm(base + "/description", "description=Best+%3Cso+far%3E").status == 303)
            let described = try await client.page(base)
            #expect(described.html.contains("<p class=\"muted\">Best &lt;so far&gt;</p>"))
            #expect(described.html.contains(">Production</span>"))
            #expect(try await client.postForm("/models/digits-clf/description", "description=Digits+v2").status == 303)
            #expect(try await s.store.getRegisteredModel(name: "digits-clf").description == "Digits v2")

            #expect(try await client.postForm(base + "/stage", "stage=Live").status == 400)
            #expect(try await client.postForm(base + "/aliases", "alias=").status == 400)
            #expect(try await client.postForm(base + "/aliases", "alias=v3").status == 400)
            #expect(try await client.postForm("/models/digits-clf/versions/x/aliases", "alias=a").status == 400)
            #expect(try await client.postForm("/models/digits-clf/versions/7/aliases", "alias=a").status == 404)
        }
    }

    @Test(arguments: ["/runs/RUN", "/models/digits-clf", "/models/digits-clf/versions/1"])
    func everyEditFormCarriesTheToken(path: String) async throws {
        try await withUIServer { client, s in
            let html = try await client.page(path.replacingOccurrences(of: "RUN", with: s.runIds[0])).html
            let posts = html.components(separatedBy: "method=\"post\"").count - 1
            #expect(posts >= 1)
            #expect(html.components(separatedBy: "name=\"form_token\"").count - 1 == posts)
        }
    }

    @Test func crossSiteEditsAreRefused() async throws {
        try await withUIServer { client, s in
            let token = try await client.formToken()
            let headers: HTTPFields = [
                .contentType: "application/x-www-form-urlencoded", .cookie: "cairn_form=\(token)",
                .origin: "http://evil.example",
            ]
            let id = s.runIds[0]
            for (path, body) in [
                ("/runs/\(id)/rename", "name=evil"), ("/runs/\(id)/delete", ""), ("/runs/\(id)/tags", "key=a&value=b"),
                ("/runs/\(id)/note", "note=evil"), ("/models/digits-clf/versions/1/aliases", "alias=evil"),
                ("/models/digits-clf/versions/1/stage", "stage=Archived"),
                ("/models/digits-clf/description", "description=evil"),
            ] {
                let result = try await client.postRaw(path, "form_token=\(token)&" + body, headers: headers)
                #expect(result.status == 403, "\(path)")
                let missingToken = try await client.postRaw(
                    path, body,
                    headers: [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"])
                #expect(missingToken.status == 403, "\(path)")
            }
            let run = try await s.store.getRun(id: id)
            #expect(run.info.runName == "run-0")
            #expect(run.info.lifecycleStage == .active)
            let v = try await s.store.modelVersion(name: "digits-clf", version: 1)
            #expect(v.aliases == ["champion"])
            #expect(v.currentStage == ModelStage.none)
            #expect(try await s.store.getRegisteredModel(name: "digits-clf").description == "Digit classifier")
        }
    }
}
