import CairnCore
import CairnStore
import Hummingbird

/// `/models/:name`: one registered model's versions, stages, aliases and the runs they came from.
struct ModelPage {
    let store: any MetadataStore
    /// The browser's form token, put in every post form.
    let browser: FormGuard.BrowserToken
    /// Whether the viewer may change the model (description, aliases, stages); without it the forms are left out.
    var canUpdate = true

    func render(name: String) async throws -> Response {
        let model = try await store.getRegisteredModel(name: name)
        let versions = try await store.searchModelVersions(
            ModelVersionQuery(
                filter: .versions(of: model.name), maxResults: 1000)
        ).items.sorted { $0.version > $1.version }
        let rows = Html.join(
            versions.map { v in
                let run: Html =
                    v.runId.map { "<a href=\"/runs/\($0)\"><code>\(String($0.prefix(12)))</code></a>" } ?? "—"
                let aliases = Html.join(v.aliases.map { "<span class=\"alias\">@\($0)</span> " })
                return """
                    <tr><td><a href="\(ModelLinks.version(name, v.version))">Version \(v.version)</a></td>\
                    <td>\(ModelLinks.stage(v.currentStage))</td><td>\(aliases)</td><td>\(Layout.badge(v.status.rawValue))</td>\
                    <td>\(run)</td><td class="wrap"><code>\(v.source)</code></td><td>\(Format.time(v.creationTimestamp))</td></tr>
                    """
            })
        let tags = Html.join(model.tags.map { "<tr><th scope=\"row\">\($0.key)</th><td>\($0.value)</td></tr>" })
        let body: Html = """
            <div class="page-head"><h1>\(model.name)</h1>
            <p class="muted">\(model.description ?? "")</p>
            \(canUpdate ? ModelVersionForms.description(model.description, action: ModelLinks.model(model.name) + "/description", browser: browser) : "")
            </div>
            <section class="card"><h2>Versions</h2>
            \(versions.isEmpty ? "<p class=\"empty\">No versions yet.</p>" : """
            <table class="grid"><thead><tr><th scope="col">Version</th><th scope="col">Stage</th>\
            <th scope="col">Aliases</th><th scope="col">Status</th><th scope="col">Source run</th>\
            <th scope="col">Source</th><th scope="col">Created (UTC)</th></tr></thead><tbody>\(rows)</tbody></table>
            """ as Html)
            </section>
            \(model.tags.isEmpty ? "" : "<section class=\"card\"><h2>Tags</h2><table class=\"grid kv\"><tbody>\(tags)</tbody></table></section>" as Html)
            """
        return UIRoutes.html(
            Layout.page(
                title: model.name, section: .models, crumbs: [("Models", "/models"), (model.name, nil)], body: body))
    }
}
