import CairnCore

/// A tiny inline SVG line of a metric history, for tables.
enum Sparkline {
    static func render(_ points: [SeriesPoint], label: String, width: Double = 120, height: Double = 28) -> Html {
        guard points.count > 1 else { return "<span class=\"muted small\">single value</span>" }
        let xs = ChartScale(values: points.map { Double($0.step) }, pixels: (2, width - 2), log: false)
        let ys = ChartScale(values: points.map(\.value), pixels: (height - 3, 3), log: false)
        var path = ""
        for p in points {
            guard let x = xs.pixel(Double(p.step)), let y = ys.pixel(p.value) else { continue }
            path += (path.isEmpty ? "M" : "L") + coord(x) + "," + coord(y)
        }
        return """
            <svg class="spark" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
            role="img" aria-label="\(label)"><path d="\(path)"/></svg>
            """
    }

    static func coord(_ v: Double) -> String { String((v * 10).rounded() / 10) }
}
