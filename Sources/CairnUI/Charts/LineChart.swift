import CairnCore
import Foundation

/// One run's curve on a chart.
struct ChartSeries {
    var label: String
    var color: String
    var points: [SeriesPoint]
}

/// An SVG line chart of several series with axes and tick labels, plus the point data that the
/// page script reads to show values under the pointer.
struct LineChart {
    enum XAxis: String {
        case step, time
    }

    static let width = 640.0
    static let height = 300.0
    static let margin = (left: 64.0, right: 16.0, top: 12.0, bottom: 36.0)

    var title: String
    var series: [ChartSeries]
    var xAxis: XAxis
    var logScale: Bool
    /// The drawing's size in SVG units; a wider one keeps its labels small on a full-width page.
    var width = LineChart.width
    var height = LineChart.height

    func render(id: String) -> Html {
        let m = Self.margin
        let all = series.flatMap(\.points)
        let origin = series.compactMap { $0.points.first?.timestamp }.min() ?? 0
        func xv(_ p: SeriesPoint) -> Double { xAxis == .step ? Double(p.step) : Double(p.timestamp - origin) / 1000 }
        let xs = ChartScale(values: all.map(xv), pixels: (m.left, width - m.right), log: false)
        let ys = ChartScale(values: all.map(\.value), pixels: (height - m.bottom, m.top), log: logScale)
        var grid: Html = ""
        for t in ys.ticks() {
            guard let y = ys.pixel(t) else { continue }
            grid += """
                <line class="grid-line" x1="\(Sparkline.coord(m.left))" x2="\(Sparkline.coord(width - m.right))" \
                y1="\(Sparkline.coord(y))" y2="\(Sparkline.coord(y))"/>\
                <text class="tick" x="\(Sparkline.coord(m.left - 6))" y="\(Sparkline.coord(y + 4))" \
                text-anchor="end">\(Format.number(t))</text>
                """
        }
        for t in xs.ticks(count: 6) {
            guard let x = xs.pixel(t) else { continue }
            grid += """
                <text class="tick" x="\(Sparkline.coord(x))" y="\(Sparkline.coord(height - m.bottom + 16))" \
                text-anchor="middle">\(Format.number(t))</text>
                """
        }
        var paths: Html = ""
        var data = JSONWriter(capacity: 4096)
        data.array { w in
            for s in series {
                var d = ""
                w.object { w in
                    w.field("name", s.label)
                    w.field("color", s.color)
                    w.key("pts")
                    w.array { w in
                        for p in s.points {
                            guard let px = xs.pixel(xv(p)), let py = ys.pixel(p.value) else { continue }
                            d += (d.isEmpty ? "M" : "L") + Sparkline.coord(px) + "," + Sparkline.coord(py)
                            w.array { w in
                                w.value((px * 10).rounded() / 10)
                                w.value((py * 10).rounded() / 10)
                                w.value(xv(p))
                                w.value(p.value)
                            }
                        }
                    }
                }
                paths += "<path class=\"line\" stroke=\"\(s.color)\" d=\"\(d)\"><title>\(s.label)</title></path>"
            }
        }
        let xLabel = xAxis == .step ? "step" : "seconds since start"
        return """
            <figure class="chart" id="\(id)">
            <figcaption>\(title) <span class="muted small">vs \(xLabel)\(logScale ? ", log scale" : "")</span>\
            <span class="sr-only"> Focus the chart and use the left and right arrow keys to read values.</span></figcaption>
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title) by \(xLabel)">
            <rect class="plot" x="\(Sparkline.coord(m.left))" y="\(Sparkline.coord(m.top))" \
            width="\(Sparkline.coord(width - m.left - m.right))" height="\(Sparkline.coord(height - m.top - m.bottom))"/>
            \(grid)\(paths)
            <line class="cursor" x1="0" x2="0" y1="\(Sparkline.coord(m.top))" y2="\(Sparkline.coord(height - m.bottom))" visibility="hidden"/>
            </svg>
            <div class="tooltip" hidden></div>
            <script type="application/json" class="chart-data">\(Html.scriptJSON(data.bytes))</script>
            </figure>
            """
    }
}
