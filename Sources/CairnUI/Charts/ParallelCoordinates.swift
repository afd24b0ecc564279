import CairnCore

/// An SVG parallel-coordinates plot for a sweep: one vertical axis per parameter that varies and a
/// last axis for a metric, each run a line through its values. Numeric axes are linear; others place
/// their values evenly in sorted order.
struct ParallelCoordinates {
    static let width = 900.0
    static let height = 320.0
    static let maxAxes = 8

    var params: [String]
    var metric: String
    var runs: [Run]

    private struct Axis {
        var title: String
        var values: [String?]
        var numeric: Bool
        var categories: [String]
        var scale: ChartScale
    }

    func render() -> Html {
        let top = 30.0
        let bottom = Self.height - 30
        var axes: [Axis] = []
        for key in params.prefix(Self.maxAxes - 1) {
            axes.append(axis("params." + key, runs.map { r in r.params.first { $0.key == key }?.value }, top, bottom))
        }
        let metricValues = runs.map { r in r.metrics.first { $0.key == metric }.map { String($0.value) } }
        axes.append(axis("metrics." + metric, metricValues, top, bottom))
        let left = 110.0
        let step = (Self.width - 2 * left) / Double(max(axes.count - 1, 1))
        var marks: Html = ""
        for (i, a) in axes.enumerated() {
            let x = left + Double(i) * step
            marks += """
                <line class="axis" x1="\(Sparkline.coord(x))" x2="\(Sparkline.coord(x))" y1="\(Int(top))" \
                y2="\(Int(bottom))"/><text class="axis-title" x="\(Sparkline.coord(x))" y="16" \
                text-anchor="middle">\(String(a.title.prefix(28)))</text>
                """
            let ticks: [(Double, String)] =
                a.numeric
                ? a.scale.ticks(count: 4).map { ($0, Format.number($0)) }
                : a.categories.enumerated().map { (Double($0.offset), String($0.element.prefix(10))) }
            for (v, text) in ticks.prefix(12) {
                guard let y = a.scale.pixel(v) else { continue }
                marks += """
                    <text class="tick" x="\(Sparkline.coord(x - 5))" y="\(Sparkline.coord(y + 4))" \
                    text-anchor="end">\(text)</text>
                    """
            }
        }
        for (r, run) in runs.enumerated() {
            var d = ""
            for (i, a) in axes.enumerated() {
                guard let y = position(a, a.values[r]) else { continue }
                d += (d.isEmpty ? "M" : "L") + Sparkline.coord(left + Double(i) * step) + "," + Sparkline.coord(y)
            }
            guard !d.isEmpty else { continue }
            let summary = axes.map { "\($0.title)=\($0.values[r] ?? "—")" }.joined(separator: ", ")
            marks += """
                <path class="line pc-line" stroke="\(Palette.color(r))" d="\(d)"><title>\(run.info.runName): \(summary)</title></path>
                """
        }
        return """
            <figure class="chart parallel">
            <figcaption>Parameters → metrics.\(metric) <span class="muted small">one line per run</span></figcaption>
            <svg viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-label="Parallel coordinates of \(axes.count - 1) parameters and metrics.\(metric)">
            \(marks)
            </svg>
            </figure>
            """
    }

    private func axis(_ title: String, _ values: [String?], _ top: Double, _ bottom: Double) -> Axis {
        let present = values.compactMap { $0 }
        let numeric = !present.isEmpty && present.allSatisfy { Double($0)?.isFinite == true }
        let categories = numeric ? [] : Array(Set(present)).sorted()
        let domain = numeric ? present.compactMap { Double($0) } : categories.indices.map(Double.init)
        let scale = ChartScale(values: domain, pixels: (bottom, top), log: false).padded(by: 0.05)
        return Axis(title: title, values: values, numeric: numeric, categories: categories, scale: scale)
    }

    private func position(_ a: Axis, _ value: String?) -> Double? {
        guard let value else { return nil }
        if a.numeric { return Double(value).flatMap { a.scale.pixel($0) } }
        return a.categories.firstIndex(of: value).flatMap { a.scale.pixel(Double($0)) }
    }
}
