import CairnCore

/// The params of the compared runs side by side, rows whose values differ marked.
struct ParamsDiffTable {
    let runs: [Run]

    func render() -> Html {
        let keys = Array(Set(runs.flatMap { $0.params.map(\.key) })).sorted()
        guard !keys.isEmpty else {
            return "<section class=\"card\"><h2>Parameters</h2><p class=\"empty\">None.</p></section>"
        }
        let head = Html.join(
            runs.map { "<th scope=\"col\"><a href=\"/runs/\($0.info.runId)\">\($0.info.runName)</a></th>" })
        var differing = 0
        let rows = Html.join(
            keys.map { key in
                let values = runs.map { r in r.params.first { $0.key == key }?.value }
                let differs = Set(values).count > 1
                if differs { differing += 1 }
                let cells = Html.join(values.map { "<td>\($0 ?? "—")</td>" })
                let mark: Html = differs ? " class=\"diff\"" : ""
                let note: Html = differs ? " <span class=\"sr-only\">(differs)</span>" : ""
                return "<tr\(mark)><th scope=\"row\">\(key)\(note)</th>\(cells)</tr>"
            })
        return """
            <section class="card"><h2>Parameters <span class="muted small">\(differing) of \(keys.count) differ \
            (highlighted)</span></h2>
            <div class="table-wrap"><table class="grid params-diff"><thead><tr><th scope="col">Parameter</th>\(head)</tr>\
            </thead><tbody>\(rows)</tbody></table></div></section>
            """
    }
}
