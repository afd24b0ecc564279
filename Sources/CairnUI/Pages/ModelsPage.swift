import CairnCore
import CairnStore
import Hummingbird

/// `/models`: registered models with their latest versions, stages and aliases.
struct ModelsPage {
    let store: any MetadataStore
    /// The registered models the viewer may see.
    var visible: Visibility = .all

    func render(_ query: QueryString) async throws -> Response {
        let search = query["q"] ?? ""
        var filter: RegisteredModelFilter?
        if !search.isEmpty {
            filter = .nameContains(search)
        }
        var modelQuery = RegisteredModelQuery(filter: filter, maxResults: 500)
        modelQuery.visible = visible
        let models = try await store.searchRegisteredModels(modelQuery)
            .items
        let rows = Html.join(
            models.map { m in
                let latest = Html.join(
                    m.latestVersions.sorted { $0.version > $1.version }.map { v in
                        "<a href=\"\(ModelLinks.version(m.name, v.version))\">v\(v.version)</a> \(ModelLinks.stage(v.currentStage)) "
                    })
                let aliases = Html.join(
                    m.aliases.map { a in
                        "<a class=\"alias\" href=\"\(ModelLinks.version(m.name, a.version))\">@\(a.alias) → v\(a.version)</a> "
                    })
                return """
                    <tr><td><a href="\(ModelLinks.model(m.name))">\(m.name)</a></td><td>\(latest)</td><td>\(aliases)</td>\
                    <td>\(m.description ?? "")</td><td>\(Format.time(m.lastUpdatedTimestamp))</td></tr>
                    """
            })
        let table: Html =
            models.isEmpty
            ? "<p class=\"empty\">No registered models\(search.isEmpty ? "" : " match" as Html).</p>"
            : """
            <table class="grid"><caption class="sr-only">Registered models</caption><thead><tr>\
            <th scope="col">Name</th><th scope="col">Latest versions</th><th scope="col">Aliases</th>\
            <th scope="col">Description</th><th scope="col">Updated (UTC)</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let body: Html = """
            <div class="page-head"><h1>Registered models</h1>
            <form class="inline" method="get" action="/models" role="search">
            <label for="q">Search by name</label>
            <input id="q" name="q" type="search" value="\(search)">
            <button type="submit">Search</button>
            </form></div>
            \(table)
            """
        return UIRoutes.html(Layout.page(title: "Models", section: .models, body: body))
    }
}

/// Links and badges shared by the model pages.
enum ModelLinks {
    static func model(_ name: String) -> String { "/models/" + QueryString.encode(name) }

    static func version(_ name: String, _ version: Int64) -> String {
        model(name) + "/versions/" + String(version)
    }

    static func stage(_ stage: ModelStage) -> Html { stage == .none ? "" : Layout.badge(stage.rawValue) }
}
