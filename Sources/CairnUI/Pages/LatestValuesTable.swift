import CairnCore

/// Every metric's latest value for each compared run side by side, the best of each row marked.
///
/// The best is the lowest value for metrics whose name says lower is better (loss, error, …) and the
/// highest otherwise.
struct LatestValuesTable {
    let runs: [Run]
    let keys: [String]

    /// Name parts of metrics where a lower value is better.
    static let lowerIsBetter = [
        "loss", "error", "err", "mse", "mae", "rmse", "perplexity", "wer", "cer", "latency", "time", "duration",
    ]

    /// Whether lower values of `key` are better.
    static func prefersLower(_ key: String) -> Bool {
        let parts = key.lowercased().split { !$0.isLetter }.map(String.init)
        return parts.contains { lowerIsBetter.contains($0) }
    }

    func render() -> Html {
        guard !keys.isEmpty else { return "" }
        let head = Html.join(
            runs.enumerated().map { i, r in
                """
                <th scope="col"><span class="swatch" style="background:\(Palette.color(i))"></span>\
                <a href="/runs/\(r.info.runId)">\(r.info.runName)</a></th>
                """
            })
        let rows = Html.join(
            keys.map { key in
                let values = runs.map { r in r.metrics.first { $0.key == key }?.value }
                let finite = values.compactMap { $0 }.filter(\.isFinite)
                let lower = Self.prefersLower(key)
                let best = finite.count > 1 ? (lower ? finite.min() : finite.max()) : nil
                let cells = Html.join(
                    values.map { v in
                        guard let v else { return "<td class=\"num\">—</td>" }
                        if let best, v == best {
                            return
                                "<td class=\"num best\">\(Format.value(v)) <span class=\"sr-only\">(best)</span></td>"
                        }
                        return "<td class=\"num\">\(Format.value(v))</td>"
                    })
                let hint = lower ? "lower is better" : "higher is better"
                return "<tr><th scope=\"row\">\(key) <span class=\"muted small\">\(hint)</span></th>\(cells)</tr>"
            })
        return """
            <section class="card"><h2>Latest values <span class="muted small">best of each metric highlighted</span></h2>
            <div class="table-wrap"><table class="grid latest-values"><thead><tr><th scope="col">Metric</th>\(head)</tr>\
            </thead><tbody>\(rows)</tbody></table></div></section>
            """
    }
}
