import CairnCore
import CairnStore
import Hummingbird

/// `/models/:name/versions/:version`: one version with its stage, aliases, tags and lineage to its run.
struct ModelVersionPage {
    let store: any MetadataStore
    /// The browser's form token, put in every post form.
    let browser: FormGuard.BrowserToken
    /// Whether the viewer may change the model (description, aliases, stages); without it the forms are left out.
    var canUpdate = true

    func render(name: String, version: String) async throws -> Response {
        let number = try ModelActions.number(version)
        // Looked up by the exact name and number: no filter text is built from user input.
        let v = try await store.modelVersion(name: name, version: number)
        var lineage: Html = "<p class=\"muted\">Not linked to a run.</p>"
        if let runId = v.runId {
            if let run = try? await store.getRun(id: runId) {
                let metrics = Html.join(
                    run.metrics.sorted { $0.key < $1.key }.prefix(12).map {
                        "<tr><th scope=\"row\">\($0.key)</th><td class=\"num\">\(Format.number($0.value))</td></tr>"
                    })
                let commit = run.tags.first { $0.key == "mlflow.source.git.commit" }?.value ?? "—"
                lineage = """
                    <p>Trained by run <a href="/runs/\(runId)">\(run.info.runName)</a> \
                    (<code>\(runId)</code>) at commit <code>\(commit)</code>.</p>
                    <table class="grid kv"><tbody>\(metrics)</tbody></table>
                    """
            } else {
                lineage = "<p>Source run <code>\(runId)</code> is no longer in this server.</p>"
            }
        }
        let tags = Html.join(v.tags.map { "<tr><th scope=\"row\">\($0.key)</th><td>\($0.value)</td></tr>" })
        let aliases = Html.join(v.aliases.map { "<span class=\"alias\">@\($0)</span> " })
        let body: Html = """
            <div class="page-head"><h1>\(name) · version \(v.version) \(ModelLinks.stage(v.currentStage))</h1>
            <p class="muted">\(v.description)</p>
            \(canUpdate ? ModelVersionForms.description(v.description, action: ModelLinks.version(name, v.version) + "/description", browser: browser) : "")
            </div>
            <div class="cards">
            <section class="card"><h2>Details</h2><dl class="facts">
            <dt>Status</dt><dd>\(Layout.badge(v.status.rawValue))</dd>
            <dt>Stage</dt><dd>\(v.currentStage.rawValue)</dd>
            <dt>Aliases</dt><dd>\(v.aliases.isEmpty ? "—" : aliases)</dd>
            <dt>Source</dt><dd class="wrap"><code>\(v.source)</code></dd>
            <dt>Logged model</dt><dd>\(v.modelId.map { "<a href=\"/logged-models/\($0)\"><code>\($0)</code></a>" as Html } ?? "—")</dd>
            <dt>Created (UTC)</dt><dd>\(Format.time(v.creationTimestamp))</dd>
            <dt>Created by</dt><dd>\(v.userId ?? "—")</dd>
            </dl></section>
            <section class="card"><h2>Lineage</h2>\(lineage)
            <p><a href="\(ModelLinks.version(name, v.version))/monitoring">Monitoring</a> (windows logged by \
            <code>cairn monitor</code>)</p></section>
            \(canUpdate ? ModelVersionForms(version: v, browser: browser).manage() : "")
            </div>
            \(v.tags.isEmpty ? "" : "<section class=\"card\"><h2>Tags</h2><table class=\"grid kv\"><tbody>\(tags)</tbody></table></section>" as Html)
            """
        return UIRoutes.html(
            Layout.page(
                title: "\(name) v\(v.version)", section: .models,
                crumbs: [("Models", "/models"), (name, ModelLinks.model(name)), ("Version \(v.version)", nil)],
                body: body))
    }
}
