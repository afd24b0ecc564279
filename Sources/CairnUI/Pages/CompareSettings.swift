import CairnCore

/// The chart options of the compare page, kept in the URL: x axis, log scale, scatter param and metric.
struct CompareSettings {
    var runIds: [String]
    var xAxis: LineChart.XAxis
    var log: Bool
    var metricKeys: [String]
    var paramKeys: [String]
    /// The params whose values differ between the compared runs.
    var differingParams: [String]
    var scatterParam: String?
    var scatterMetric: String?

    init(query: QueryString, runs: [Run]) {
        runIds = runs.map(\.info.runId)
        xAxis = query["x"] == "time" ? .time : .step
        log = query["scale"] == "log"
        metricKeys = Array(Set(runs.flatMap { $0.metrics.map(\.key) })).sorted()
        paramKeys = Array(Set(runs.flatMap { $0.params.map(\.key) })).sorted()
        differingParams = paramKeys.filter { key in
            Set(runs.map { r in r.params.first { $0.key == key }?.value }).count > 1
        }
        scatterParam =
            query["param"].flatMap { paramKeys.contains($0) ? $0 : nil } ?? differingParams.first ?? paramKeys.first
        scatterMetric = query["metric"].flatMap { metricKeys.contains($0) ? $0 : nil } ?? metricKeys.first
    }

    private func options(_ keys: [String], selected: String?) -> Html {
        Html.join(
            keys.map { k in
                let sel: Html = k == selected ? " selected" : ""
                return "<option value=\"\(k)\"\(sel)>\(k)</option>"
            })
    }

    /// The GET form that changes the options; every choice becomes part of the URL.
    func controls() -> Html {
        let hidden = Html.join(runIds.map { "<input type=\"hidden\" name=\"runs\" value=\"\($0)\">" })
        let stepChecked: Html = xAxis == .step ? " checked" : ""
        let timeChecked: Html = xAxis == .time ? " checked" : ""
        let logChecked: Html = log ? " checked" : ""
        return """
            <form class="card controls" method="get" action="/compare">
            \(hidden)
            <fieldset><legend>X axis</legend>
            <label><input type="radio" name="x" value="step"\(stepChecked)> Step</label>
            <label><input type="radio" name="x" value="time"\(timeChecked)> Wall time</label>
            </fieldset>
            <fieldset><legend>Y axis</legend>
            <label><input type="checkbox" name="scale" value="log"\(logChecked)> Log scale</label>
            </fieldset>
            <fieldset><legend>Scatter plot</legend>
            <label for="param">Parameter</label>
            <select id="param" name="param">\(options(paramKeys, selected: scatterParam))</select>
            <label for="metric">Metric</label>
            <select id="metric" name="metric">\(options(metricKeys, selected: scatterMetric))</select>
            </fieldset>
            <button type="submit">Update</button>
            </form>
            """
    }

    /// The scatter plot of the chosen param against the chosen metric's latest value.
    func scatter(_ runs: [Run]) -> Html {
        guard let param = scatterParam, let metric = scatterMetric else { return "" }
        var points: [ScatterPlot.Point] = []
        for (i, run) in runs.enumerated() {
            guard let x = run.params.first(where: { $0.key == param })?.value,
                let y = run.metrics.first(where: { $0.key == metric })?.value, y.isFinite
            else { continue }
            points.append(ScatterPlot.Point(label: run.info.runName, x: x, y: y, color: Palette.color(i)))
        }
        guard !points.isEmpty else { return "" }
        let plot = ScatterPlot(xTitle: "params." + param, yTitle: "metrics." + metric, points: points).render()
        return
            "<section class=\"card\" aria-label=\"Parameter against metric\"><h2>Parameter vs metric</h2>\(plot)</section>"
    }

    /// Parallel coordinates of the params that differ against the chosen metric, for two runs or more.
    func parallel(_ runs: [Run]) -> Html {
        guard runs.count > 1, !differingParams.isEmpty, let metric = scatterMetric else { return "" }
        let plot = ParallelCoordinates(params: differingParams, metric: metric, runs: runs).render()
        return
            "<section class=\"card\" aria-label=\"Parallel coordinates\"><h2>Parameters → metric</h2>\(plot)</section>"
    }
}
