import CairnCore
import Foundation

/// The runs table of an experiment page: sortable headers, chosen columns, sweep groups, paging
/// and the selection form that opens the compare page.
struct RunsTable {
    static let childrenShown = 25

    let view: RunsView
    let runs: [Run]
    let children: [String: [Run]]
    let total: Int

    func render() -> Html {
        guard total > 0 else { return "<p class=\"empty\">No runs match.</p>" }
        var rows: Html = ""
        for run in runs {
            let kids = children[run.info.runId] ?? []
            rows += row(run, childCount: kids.count, isChild: false)
            for kid in kids.prefix(Self.childrenShown) { rows += row(kid, childCount: 0, isChild: true, parent: run) }
            if kids.count > Self.childrenShown {
                let filter = "tags.mlflow.parentRunId = '\(run.info.runId)'"
                let href = QueryString.url(
                    "/experiments/" + QueryString.encode(view.experimentId), [("filter", filter), ("flat", "1")])
                rows += """
                    <tr class="child" data-parent="\(run.info.runId)" hidden><td></td>\
                    <td colspan="\(6 + view.columns.count)"><a href="\(href)">All \(kids.count) child runs →</a></td></tr>
                    """
            }
        }
        let first = (view.page - 1) * RunsView.pageSize + 1
        let last = first + runs.count - 1
        let what = view.flat ? "Runs" : "Top-level runs"
        return """
            <form method="get" action="/compare" class="runs">
            <div class="toolbar">
            <p class="count" aria-live="polite">\(what) \(first)–\(last) of \(total)</p>
            <button type="submit" id="compare-button">Compare selected</button>
            </div>
            <div class="table-wrap">
            <table class="grid runs-table">
            <caption class="sr-only">Runs, sorted by \(view.orderText)</caption>
            <thead><tr><th scope="col"><span class="sr-only">Select</span></th>\(headers())</tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            </div>
            </form>
            \(pager())
            """
    }

    private func headers() -> Html {
        var out: Html = ""
        for c in RunAttributeColumn.allCases {
            out += header(c.rawValue, orderKey: c.orderKey, numeric: c == .duration)
        }
        for c in view.columns {
            let label = (c.kind == .metrics ? "" : c.kind == .params ? "param " : "tag ") + c.key
            out += header(label, orderKey: c.orderKey, numeric: c.kind == .metrics)
        }
        return out
    }

    private func header(_ label: String, orderKey: String?, numeric: Bool) -> Html {
        let cls: Html = numeric ? " class=\"num\"" : ""
        guard let key = orderKey else { return "<th scope=\"col\"\(cls)>\(label)</th>" }
        let current = view.sortDirection(of: key)
        let next = current == false ? key + " ASC" : key + " DESC"
        let aria: Html =
            switch current {
            case true?: " aria-sort=\"ascending\""
            case false?: " aria-sort=\"descending\""
            case nil: ""
            }
        let arrow = current == nil ? "" : (current == true ? " ▲" : " ▼")
        return "<th scope=\"col\"\(cls)\(aria)><a href=\"\(view.url(order: next))\">\(label)\(arrow)</a></th>"
    }

    private func row(_ run: Run, childCount: Int, isChild: Bool, parent: Run? = nil) -> Html {
        let info = run.info
        let tags = Dictionary(run.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let duration = info.endTime.map { $0 - info.startTime }
        let commit = tags["mlflow.source.git.commit"].map { String($0.prefix(8)) } ?? "—"
        var name: Html = "<a href=\"/runs/\(info.runId)\">\(info.runName)</a>"
        if childCount > 0 {
            name = """
                <button type="button" class="toggle" aria-expanded="false" data-toggle="\(info.runId)" \
                aria-label="Show \(childCount) child runs of \(info.runName)">▸ \(childCount)</button> \(name)
                """
        }
        var cells: Html = """
            <td><input type="checkbox" name="runs" value="\(info.runId)" aria-label="Select \(info.runName)"></td>
            <td class="name">\(name)</td>
            <td>\(Layout.badge(info.status.rawValue))</td>
            <td>\(Format.time(info.startTime))</td>
            <td class="num">\(Format.duration(duration))</td>
            <td>\(info.userId)</td>
            <td><code>\(commit)</code></td>
            """
        for c in view.columns { cells += cell(run, c, tags: tags) }
        if isChild, let parent {
            return "<tr class=\"child\" data-parent=\"\(parent.info.runId)\" hidden>\(cells)</tr>"
        }
        return "<tr>\(cells)</tr>"
    }

    private func cell(_ run: Run, _ c: RunColumn, tags: [String: String]) -> Html {
        switch c.kind {
        case .metrics:
            let v = run.metrics.first { $0.key == c.key }
            return "<td class=\"num\">\(v.map { Format.value($0.value) })</td>"
        case .params:
            return text(run.params.first { $0.key == c.key }?.value)
        case .tags:
            return text(tags[c.key])
        }
    }

    private func text(_ value: String?) -> Html {
        guard let value else { return "<td></td>" }
        if value.count > 40 { return "<td title=\"\(value)\">\(String(value.prefix(40)))…</td>" }
        return "<td>\(value)</td>"
    }

    private func pager() -> Html {
        let pages = max((total + RunsView.pageSize - 1) / RunsView.pageSize, 1)
        guard pages > 1 else { return "" }
        let prev: Html =
            view.page > 1
            ? "<a rel=\"prev\" href=\"\(view.url(page: view.page - 1))\">← Previous</a>" : "<span></span>"
        let next: Html =
            view.page < pages
            ? "<a rel=\"next\" href=\"\(view.url(page: view.page + 1))\">Next →</a>" : "<span></span>"
        return """
            <nav class="pager" aria-label="Pages">
            \(prev)
            <form method="get" action="/experiments/\(view.experimentId)" class="inline">
            \(view.hiddenInputs(except: []))
            <label for="page">Page</label>
            <input id="page" name="p" type="number" min="1" max="\(pages)" value="\(view.page)">
            <span class="muted">of \(pages)</span>
            <button type="submit" class="small">Go</button>
            </form>
            \(next)
            </nav>
            """
    }
}
