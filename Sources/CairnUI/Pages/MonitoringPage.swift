import CairnCore
import CairnStore
import Hummingbird

/// `/models/:name/versions/:version/monitoring`: what `cairn monitor` logged for one version, window by
/// window — drift per feature as small multiples, the prediction distribution, latency and errors,
/// accuracy, and the alert timeline linking each alert to its window's report.
struct MonitoringPage {
    static let maxWindows = 5000

    let store: any MetadataStore

    func render(name: String, version: String) async throws -> Response {
        let number = try ModelActions.number(version)
        let v = try await store.modelVersion(name: name, version: number)
        let crumbs: [(String, String?)] = [
            ("Models", "/models"), (name, ModelLinks.model(name)),
            ("Version \(v.version)", ModelLinks.version(name, v.version)), ("Monitoring", nil),
        ]
        let title = "\(name) v\(v.version) monitoring"
        guard let experiment = try await store.getExperiment(name: "monitor/" + name) else {
            return UIRoutes.html(Layout.page(title: title, section: .models, crumbs: crumbs, body: Self.empty(name)))
        }
        // The version is matched as a typed clause: no filter text is built from the URL.
        let query = RunQuery(
            experimentIds: [experiment.experimentId],
            filter: RunFilter(clauses: [
                RunFilterClause(field: .tag("monitor.version"), comparator: .equal, value: .string(String(v.version)))
            ]), maxResults: Self.maxWindows)
        let runs = try await store.searchRuns(query).items
        func tag(_ run: Run, _ key: String) -> String? { run.tags.first { $0.key == key }?.value }
        let windows = runs.filter { tag($0, "cairn.kind") == "monitor" }
            .compactMap { run in tag(run, "monitor.window").flatMap(Int64.init).map { (index: $0, run: run) } }
            .sorted { $0.index < $1.index }
        let alerts = runs.filter { tag($0, "cairn.kind") == "monitor-alert" }
            .sorted {
                (tag($0, "monitor.window").flatMap(Int.init) ?? 0) < (tag($1, "monitor.window").flatMap(Int.init) ?? 0)
            }
        guard !windows.isEmpty else {
            return UIRoutes.html(Layout.page(title: title, section: .models, crumbs: crumbs, body: Self.empty(name)))
        }
        func series(_ key: String, color: Int, label: String? = nil) -> ChartSeries {
            ChartSeries(
                label: label ?? key, color: Palette.color(color),
                points: windows.compactMap { w in
                    w.run.metrics.first { $0.key == key }.map {
                        SeriesPoint(step: w.index, timestamp: $0.timestamp, value: $0.value)
                    }
                })
        }
        func chart(_ title: String, _ list: [ChartSeries], id: String, small: Bool = false) -> Html {
            let drawn = list.filter { !$0.points.isEmpty }
            guard !drawn.isEmpty else { return "" }
            let figure = LineChart(
                title: title, series: drawn, xAxis: .step, logScale: false, width: small ? 360 : 640,
                height: small ? 200 : 300
            ).render(id: id)
            guard drawn.count > 1 else { return figure }
            let legend = Html.join(
                drawn.map { "<span class=\"swatch\" style=\"background:\($0.color)\"></span>\($0.label) " })
            return "\(figure)<p class=\"small muted\">\(legend)· x: window</p>"
        }
        func card(_ content: Html) -> Html {
            content.raw.isEmpty ? "" : "<section class=\"card\">\(content)</section>"
        }
        let keys = Set(windows.flatMap { $0.run.metrics.map(\.key) })
        let features = keys.filter { $0.hasPrefix("drift.") && $0.hasSuffix(".score") }.sorted()
        var multiples: Html = ""
        for (i, key) in features.enumerated() {
            let feature = String(key.dropFirst("drift.".count).dropLast(".score".count))
            multiples += chart(feature, [series(key, color: 0, label: feature)], id: "drift-\(i)", small: true)
        }
        let shares = keys.filter { $0.hasPrefix("prediction.share.") }.sorted()
        let predictionSeries =
            shares.isEmpty
            ? [series("prediction.mean", color: 0)]
            : shares.enumerated().map { i, k in
                series(k, color: i, label: "class " + k.dropFirst("prediction.share.".count))
            }
        var timeline: Html = ""
        for alert in alerts {
            let windowRun = tag(alert, "alert.window_run")
            let report: Html =
                windowRun.map {
                    "<a href=\"/runs/\($0)\">window run</a> · <a href=\"/runs/\($0)/artifacts?path=monitor/report.html\">report</a>"
                } ?? "—"
            let value = alert.metrics.first { $0.key == "alert.value" }.map { Format.number($0.value) } ?? "—"
            timeline += """
                <tr><td class="num">\(tag(alert, "monitor.window") ?? "")</td><td>\(tag(alert, "monitor.window.end") ?? "")</td>\
                <td><a href="/runs/\(alert.info.runId)">\(tag(alert, "alert.name") ?? "")</a></td>\
                <td>\(Layout.badge(tag(alert, "alert.severity") ?? ""))</td><td>\(tag(alert, "alert.metric") ?? "")</td>\
                <td class="num">\(value)</td><td>\(report)</td></tr>
                """
        }
        let alertTable: Html =
            alerts.isEmpty
            ? "<p class=\"muted\">No alerts.</p>"
            : """
            <table class="grid"><thead><tr><th>Window</th><th>Window end (UTC)</th><th>Alert</th><th>Severity</th>\
            <th>Metric</th><th>Value</th><th>Links</th></tr></thead><tbody>\(timeline)</tbody></table>
            """
        let body: Html = """
            <div class="page-head"><h1>\(name) · version \(v.version) · monitoring</h1>
            <p class="muted">\(windows.count) windows from experiment \
            <a href="/experiments/\(experiment.experimentId)">\(experiment.name)</a>, \(alerts.count) alerts</p></div>
            <section class="card" id="alerts"><h2>Alert timeline</h2>\(alertTable)</section>
            <section class="card" id="drift"><h2>Data drift per feature</h2>\
            <div class="small-multiples">\(multiples)</div></section>
            <div class="cards">
            \(card(chart("Predictions", predictionSeries, id: "predictions")))
            \(card(chart("Prediction drift", [series("prediction_drift.score", color: 3)], id: "prediction-drift")))
            \(card(chart("Latency (ms)", [series("latency.p50_ms", color: 0), series("latency.p99_ms", color: 1)], id: "latency")))
            \(card(chart("Errors", [series("error_rate", color: 1), series("missing.share", color: 4), series("out_of_range.share", color: 5)], id: "errors")))
            \(card(chart("Live accuracy", [series("accuracy", color: 2), series("mae", color: 6)], id: "accuracy")))
            </div>
            """
        return UIRoutes.html(Layout.page(title: title, section: .models, crumbs: crumbs, body: body))
    }

    static func empty(_ name: String) -> Html {
        """
        <div class="page-head"><h1>Monitoring</h1></div>
        <section class="card"><p class="muted">Nothing monitored yet. Run \
        <code>cairn monitor models:/\(name)/VERSION --prediction-log DIR</code> to log windows here.</p></section>
        """
    }
}
