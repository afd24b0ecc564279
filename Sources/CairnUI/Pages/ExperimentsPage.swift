import CairnAuth
import CairnCore
import CairnStore
import Hummingbird

/// `/`: the experiments list with run counts, last activity, name search and create/rename/delete.
struct ExperimentsPage {
    let store: any MetadataStore
    /// The browser's form token, put in every post form.
    let browser: FormGuard.BrowserToken
    /// The experiments the viewer may see.
    var visible: Visibility = .all
    /// What the viewer may do with each experiment: rename needs update, delete needs delete.
    var rights: ResourcePermissions = .unrestricted(.experiment)

    func render(_ query: QueryString) async throws -> Response {
        let search = query["q"] ?? ""
        let rows = try await store.experimentSummaries(
            nameContains: search.isEmpty ? nil : search, viewType: .activeOnly, limit: 500
        ).filter { visible.contains($0.experiment.experimentId) }
        let body: Html = """
            <div class="page-head">
            <h1>Experiments</h1>
            <form class="inline" method="get" action="/" role="search">
            <label for="q">Search by name</label>
            <input id="q" name="q" type="search" value="\(search)" placeholder="e.g. mnist">
            <button type="submit">Search</button>
            </form>
            </div>
            \(rows.isEmpty ? "<p class=\"empty\">No experiments match.</p>" : table(rows))
            <section class="card">
            <h2>New experiment</h2>
            <form class="inline" method="post" action="/experiments">\(browser.field)
            <label for="new-name">Name</label>
            <input id="new-name" name="name" required maxlength="500">
            <button type="submit">Create</button>
            </form>
            </section>
            """
        return UIRoutes.html(Layout.page(title: "Experiments", section: .experiments, body: body))
    }

    private func table(_ rows: [ExperimentSummary]) -> Html {
        let actions = rows.map { rowActions($0.experiment) }
        // Without any action on any row (a reader's view), the column goes too.
        let hasActions = actions.contains { !$0.raw.isEmpty }
        let body = Html.join(
            zip(rows, actions).map { s, actions in
                let e = s.experiment
                return """
                    <tr>
                    <td><a href="/experiments/\(e.experimentId)">\(e.name)</a></td>
                    <td class="num">\(e.experimentId)</td>
                    <td class="num">\(s.runCount)</td>
                    <td>\(Format.time(s.lastActivity))</td>
                    \(hasActions ? "<td><div class=\"actions\">\(actions)</div></td>" as Html : "")
                    </tr>
                    """
            })
        return """
            <table class="grid">
            <caption class="sr-only">Experiments</caption>
            <thead><tr><th scope="col">Name</th><th scope="col" class="num">ID</th><th scope="col" class="num">Runs</th>\
            <th scope="col">Last activity (UTC)</th>\(hasActions ? "<th scope=\"col\">Actions</th>" as Html : "")</tr></thead>
            <tbody>\(body)</tbody>
            </table>
            """
    }

    /// The rename and delete forms of one row, each only when the viewer may take it.
    private func rowActions(_ e: Experiment) -> Html {
        let href = "/experiments/" + e.experimentId
        let rename: Html =
            rights.allows(.update, on: e.experimentId)
            ? """
            <details class="rename"><summary>Rename</summary>
            <form method="post" action="\(href)/rename">\(browser.field)
            <label for="rename-\(e.experimentId)">New name</label>
            <input id="rename-\(e.experimentId)" name="name" value="\(e.name)" required maxlength="500">
            <button type="submit" class="small">Save</button>
            </form>
            </details>
            """
            : ""
        let delete: Html =
            e.experimentId != "0" && rights.allows(.delete, on: e.experimentId)
            ? """
            <form method="post" action="\(href)/delete" data-confirm="Delete experiment \(e.name) and its runs?">\
            \(browser.field)
            <button class="danger small" type="submit">Delete</button>
            </form>
            """
            : ""
        return Html.join([rename, delete])
    }
}
