/// An SVG bar chart of one metric logged at a single step: one labelled bar per run, so a value
/// logged once is drawn as a bar rather than as a lone point on an empty line chart.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double
        var color: String
    }

    static let width = 640.0
    static let rowHeight = 26.0
    static let labelWidth = 150.0

    var title: String
    var bars: [Bar]

    func render(id: String) -> Html {
        let drawn = bars.filter { $0.value.isFinite }
        let height = Double(max(drawn.count, 1)) * Self.rowHeight + 30
        // Bars start at zero when every value has the same sign, else at the lowest value.
        let lo = min(0, drawn.map(\.value).min() ?? 0)
        let hi = max(0, drawn.map(\.value).max() ?? 1)
        let scale = ChartScale(values: [lo, hi], pixels: (Self.labelWidth + 8, Self.width - 90), log: false)
        var marks: Html = ""
        for t in scale.ticks(count: 4) {
            guard let x = scale.pixel(t) else { continue }
            marks += """
                <line class="grid-line" x1="\(Sparkline.coord(x))" x2="\(Sparkline.coord(x))" y1="4" \
                y2="\(Sparkline.coord(height - 24))"/><text class="tick" x="\(Sparkline.coord(x))" \
                y="\(Sparkline.coord(height - 8))" text-anchor="middle">\(Format.number(t))</text>
                """
        }
        let zero = scale.pixel(0) ?? Self.labelWidth + 8
        for (i, bar) in drawn.enumerated() {
            guard let end = scale.pixel(bar.value) else { continue }
            let y = 6 + Double(i) * Self.rowHeight
            let x = min(zero, end)
            let name = bar.label.count > 22 ? String(bar.label.prefix(21)) + "…" : bar.label
            marks += """
                <text class="tick" x="\(Sparkline.coord(Self.labelWidth))" y="\(Sparkline.coord(y + 14))" \
                text-anchor="end">\(name)</text>\
                <rect class="bar" x="\(Sparkline.coord(x))" y="\(Sparkline.coord(y))" \
                width="\(Sparkline.coord(max(abs(end - zero), 1)))" height="\(Sparkline.coord(Self.rowHeight - 8))" \
                fill="\(bar.color)"><title>\(bar.label): \(String(bar.value))</title></rect>\
                <text class="tick value" x="\(Sparkline.coord(max(end, zero) + 6))" y="\(Sparkline.coord(y + 14))">\
                \(Format.number(bar.value))</text>
                """
        }
        return """
            <figure class="chart bars" id="\(id)">
            <figcaption>\(title) <span class="muted small">logged at one step</span></figcaption>
            <svg viewBox="0 0 \(Int(Self.width)) \(Int(height))" role="img" aria-label="\(title) per run, as bars">
            \(marks)
            </svg>
            </figure>
            """
    }
}
