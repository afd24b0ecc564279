import CairnCore
import CairnStore
import Hummingbird

/// `/runs/:id/metric?key=…`: one metric of a run as a full-size chart, with its range and count.
struct RunMetricPage {
    static let maxPoints = 1000

    let store: any MetadataStore

    func render(runId: String, query: QueryString) async throws -> Response {
        guard let key = query["key"], !key.isEmpty else {
            throw MlflowError.invalid("Name the metric to chart: /runs/ID/metric?key=NAME.")
        }
        let run = try await store.getRun(id: runId)
        guard let latest = run.metrics.first(where: { $0.key == key }) else {
            throw MlflowError.notFound("Run \(runId) has no metric '\(key)'.")
        }
        let experiment = try await store.getExperiment(id: run.info.experimentId)
        let points = try await store.sampledMetricHistory(runId: runId, key: key, maxPoints: Self.maxPoints)
        let xAxis: LineChart.XAxis = query["x"] == "time" ? .time : .step
        let log = query["scale"] == "log"
        let chart: Html
        if Set(points.map(\.step)).count <= 1 {
            chart = """
                <p class="big-value">\(Format.value(latest.value)) <span class="muted small">at step \(latest.step), \
                the only step logged</span></p>
                """
        } else {
            chart = LineChart(
                title: key, series: [ChartSeries(label: run.info.runName, color: Palette.color(0), points: points)],
                xAxis: xAxis, logScale: log, width: 1200, height: 480
            ).render(id: "metric-chart")
        }
        let values = points.map(\.value)
        let base = "/runs/" + QueryString.encode(runId) + "/metric"
        func link(_ text: String, x: String, scale: String?) -> Html {
            let href = QueryString.url(base, [("key", key), ("x", x == "step" ? nil : x), ("scale", scale)])
            let current = (x == "time") == (xAxis == .time) && (scale == "log") == log
            return current ? "<strong>\(text)</strong>" : "<a href=\"\(href)\">\(text)</a>"
        }
        let body: Html = """
            <div class="page-head"><h1>\(key)</h1>
            <p class="muted">Metric of run <a href="/runs/\(runId)">\(run.info.runName)</a></p></div>
            <p class="small">\(link("Step", x: "step", scale: nil)) · \(link("Wall time", x: "time", scale: nil)) · \
            \(link("Step, log scale", x: "step", scale: "log"))</p>
            <section class="card wide-chart">\(chart)</section>
            <section class="card"><h2>Summary</h2><dl class="facts">
            <dt>Latest</dt><dd>\(Format.value(latest.value)) at step \(latest.step)</dd>
            <dt>Lowest</dt><dd>\(values.min().map { Format.value($0) } ?? "—")</dd>
            <dt>Highest</dt><dd>\(values.max().map { Format.value($0) } ?? "—")</dd>
            <dt>Points drawn</dt><dd>\(points.count)</dd>
            </dl></section>
            """
        return UIRoutes.html(
            Layout.page(
                title: "\(key) · \(run.info.runName)", section: .experiments,
                crumbs: [
                    ("Experiments", "/"), (experiment.name, "/experiments/" + experiment.experimentId),
                    (run.info.runName, "/runs/" + runId), (key, nil),
                ],
                body: body))
    }
}
