/// An SVG scatter plot of one parameter (numeric or categorical) against one metric.
struct ScatterPlot {
    struct Point {
        var label: String
        var x: String
        var y: Double
        var color: String
    }

    static let width = 640.0
    static let height = 300.0

    var xTitle: String
    var yTitle: String
    var points: [Point]

    func render() -> Html {
        let numeric = points.allSatisfy { Double($0.x) != nil }
        let categories = Array(Set(points.map(\.x))).sorted()
        func xValue(_ p: Point) -> Double {
            numeric ? Double(p.x)! : Double(categories.firstIndex(of: p.x) ?? 0)
        }
        let xs = ChartScale(values: points.map(xValue), pixels: (64, Self.width - 24), log: false).padded(by: 0.06)
        let ys = ChartScale(values: points.map(\.y), pixels: (Self.height - 36, 12), log: false).padded(by: 0.08)
        var marks: Html = ""
        for t in ys.ticks() {
            guard let y = ys.pixel(t) else { continue }
            marks += """
                <line class="grid-line" x1="64" x2="\(Int(Self.width - 16))" y1="\(Sparkline.coord(y))" \
                y2="\(Sparkline.coord(y))"/><text class="tick" x="58" y="\(Sparkline.coord(y + 4))" \
                text-anchor="end">\(Format.number(t))</text>
                """
        }
        let xTicks: [(Double, String)] =
            numeric
            ? xs.ticks(count: 6).map { ($0, Format.number($0)) }
            : categories.enumerated().map { (Double($0.offset), String($0.element.prefix(12))) }
        for (v, text) in xTicks {
            guard let x = xs.pixel(v) else { continue }
            marks += """
                <text class="tick" x="\(Sparkline.coord(x))" y="\(Int(Self.height - 18))" \
                text-anchor="middle">\(text)</text>
                """
        }
        for p in points {
            guard let x = xs.pixel(xValue(p)), let y = ys.pixel(p.y) else { continue }
            marks += """
                <circle cx="\(Sparkline.coord(x))" cy="\(Sparkline.coord(y))" r="5" fill="\(p.color)">\
                <title>\(p.label): \(xTitle) = \(p.x), \(yTitle) = \(Format.number(p.y))</title></circle>
                """
        }
        return """
            <figure class="chart scatter">
            <figcaption>\(yTitle) against \(xTitle)</figcaption>
            <svg viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-label="Scatter plot of \(yTitle) against \(xTitle)">
            \(marks)
            </svg>
            </figure>
            """
    }
}
