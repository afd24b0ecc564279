import CairnCore
import CairnStore
import Hummingbird

/// `/compare?runs=…`: overlaid metric histories (bars for metrics logged at one step), the latest
/// values side by side with the best marked, a params table with differences marked, a scatter plot
/// of a parameter against a metric and, for sweeps, parallel coordinates of the varying params.
struct ComparePage {
    static let maxRuns = 20
    static let maxCharts = 16
    static let pointsPerSeries = 400

    let store: any MetadataStore

    /// The run ids of `runs=` parameters (repeated or comma-separated), in order, without repeats.
    static func runIds(_ query: QueryString) -> [String] {
        var ids: [String] = []
        for value in query.all("runs") {
            for id in value.split(separator: ",").map(String.init) where !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    func render(_ query: QueryString) async throws -> Response {
        let ids = Self.runIds(query)
        guard !ids.isEmpty else { throw MlflowError.invalid("Choose at least one run to compare.") }
        guard ids.count <= Self.maxRuns else {
            throw MlflowError.invalid("Compare at most \(Self.maxRuns) runs at a time; \(ids.count) were chosen.")
        }
        var runs: [Run] = []
        for id in ids { runs.append(try await store.getRun(id: id)) }
        let settings = CompareSettings(query: query, runs: runs)
        var charts: Html = ""
        for (index, key) in settings.metricKeys.prefix(Self.maxCharts).enumerated() {
            var series: [ChartSeries] = []
            for (i, run) in runs.enumerated() {
                let points = try await store.sampledMetricHistory(
                    runId: run.info.runId, key: key, maxPoints: Self.pointsPerSeries)
                if !points.isEmpty {
                    series.append(ChartSeries(label: run.info.runName, color: Palette.color(i), points: points))
                }
            }
            if series.allSatisfy({ Set($0.points.map(\.step)).count <= 1 }) {
                // Logged once per run (or at one step): a line chart would have nothing to draw.
                let bars = series.compactMap { s in
                    s.points.last.map { BarChart.Bar(label: s.label, value: $0.value, color: s.color) }
                }
                charts += BarChart(title: key, bars: bars).render(id: "chart-\(index)")
            } else {
                let chart = LineChart(title: key, series: series, xAxis: settings.xAxis, logScale: settings.log)
                charts += chart.render(id: "chart-\(index)")
            }
        }
        let experiment = try await store.getExperiment(id: runs[0].info.experimentId)
        let legend = Html.join(
            runs.enumerated().map { i, r in
                """
                <li><span class="swatch" style="background:\(Palette.color(i))"></span>\
                <a href="/runs/\(r.info.runId)">\(r.info.runName)</a></li>
                """
            })
        let more: Html =
            settings.metricKeys.count > Self.maxCharts
            ? "<p class=\"muted\">Showing the first \(Self.maxCharts) of \(settings.metricKeys.count) metrics.</p>" : ""
        let body: Html = """
            <div class="page-head"><h1>Compare \(runs.count) runs</h1></div>
            <ul class="legend" aria-label="Runs">\(legend)</ul>
            \(settings.controls())
            \(LatestValuesTable(runs: runs, keys: settings.metricKeys).render())
            <section aria-label="Metric histories"><div class="charts">\(charts)</div>\(more)</section>
            \(ParamsDiffTable(runs: runs).render())
            \(settings.scatter(runs))
            \(settings.parallel(runs))
            """
        return UIRoutes.html(
            Layout.page(
                title: "Compare runs", section: .experiments,
                crumbs: [
                    ("Experiments", "/"), (experiment.name, "/experiments/" + experiment.experimentId),
                    ("Compare", nil),
                ],
                body: body))
    }
}
