import CairnDrift
import Foundation

/// A self-contained HTML drift report: the verdict, a table of columns ordered by severity, and
/// reference-vs-current charts as inline SVG. No scripts, fonts or images are loaded from anywhere.
public enum HTMLReport {
    /// Renders the report.
    public static func render(_ report: DriftReport, title: String = "Cairn drift report") -> String {
        let r = report.result
        let ordered = r.columns.sorted { a, b in
            if a.driftDetected != b.driftDetected { return a.driftDetected }
            return severity(a) > severity(b)
        }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:32px;color:#1d2330;background:#fff}
            h1{font-size:24px;margin:0 0 4px} .sub{color:#5b6475;margin-bottom:20px;font-size:14px}
            .verdict{display:inline-block;padding:14px 20px;border-radius:8px;font-size:18px;font-weight:600;margin-bottom:24px}
            .drift{background:#fde8e8;color:#9b1c1c;border:1px solid #f8b4b4}
            .nodrift{background:#def7ec;color:#03543f;border:1px solid #84e1bc}
            table{border-collapse:collapse;width:100%;font-size:14px;margin-bottom:28px}
            th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #e5e7eb} th{background:#f3f4f6}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .tag{padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600}
            .tag.d{background:#fde8e8;color:#9b1c1c} .tag.n{background:#def7ec;color:#03543f}
            .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:18px}
            .card{border:1px solid #e5e7eb;border-radius:8px;padding:12px}
            .card h3{margin:0 0 6px;font-size:15px} .legend{font-size:12px;color:#5b6475}
            .sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <div class="sub">Reference: \(escape(report.referenceSource)) · Current: \(escape(report.currentSource))</div>

            """
        let verdictClass = r.datasetDrift ? "drift" : "nodrift"
        let verdictText = r.datasetDrift ? "Dataset drift detected" : "No dataset drift"
        html += """
            <div class="verdict \(verdictClass)">\(verdictText): \(r.driftedColumns) of \(r.columnCount) columns drifted \
            (share \(fmt(r.driftShare)), threshold \(fmt(r.driftShareThreshold)))</div>

            <table><thead><tr><th>Column</th><th>Type</th><th>Test</th><th class="num">Score</th>\
            <th class="num">Threshold</th><th>Drift</th></tr></thead><tbody>

            """
        for c in ordered {
            let tag = c.driftDetected ? "<span class=\"tag d\">drift</span>" : "<span class=\"tag n\">no drift</span>"
            html += "<tr><td>\(escape(c.name))</td><td>\(c.type.rawValue)</td><td>\(escape(c.test.displayName))</td>"
            html +=
                "<td class=\"num\">\(fmt(c.score))</td><td class=\"num\">\(fmt(c.threshold))</td><td>\(tag)</td></tr>\n"
        }
        html += "</tbody></table>\n"
        if !report.histograms.isEmpty {
            html += "<h2 style=\"font-size:18px\">Distributions</h2>\n<div class=\"legend\">"
            html += "<span class=\"sw\" style=\"background:#4b6cb7\"></span>reference"
            html += "<span class=\"sw\" style=\"background:#f08a24\"></span>current"
            html += " · bars are shares of rows; numeric columns use 10 equal-width bins over both samples</div><br>\n"
            html += "<div class=\"charts\">\n"
            for c in ordered {
                guard let h = report.histograms[c.name], !h.reference.isEmpty else { continue }
                html +=
                    "<div class=\"card\"><h3>\(escape(c.name)) \(c.driftDetected ? "<span class=\"tag d\">drift</span>" : "")</h3>"
                html += chart(h, numeric: c.type == .numeric)
                html += "</div>\n"
            }
            html += "</div>\n"
        }
        html += "</body></html>\n"
        return html
    }

    /// Larger means more severe: 1 − p for p-values, the distance otherwise.
    static func severity(_ c: ColumnDriftResult) -> Double { c.test.isPValue ? 1 - c.score : c.score }

    /// Grouped bars of reference and current shares as SVG.
    static func chart(_ h: ColumnHistogram, numeric: Bool) -> String {
        let width = 360.0
        let height = 190.0
        let left = 40.0
        let bottom = 40.0
        let top = 10.0
        let plotW = width - left - 8
        let plotH = height - bottom - top
        let peak = max(h.reference.max() ?? 0, h.current.max() ?? 0, 1e-12)
        let n = Double(h.reference.count)
        let slot = plotW / n
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        svg +=
            "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(width - 8)\" y2=\"\(top + plotH)\" stroke=\"#9ca3af\"/>"
        for tick in [0.0, 0.5, 1.0] {
            let y = top + plotH * (1 - tick)
            svg += "<text x=\"\(left - 4)\" y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#6b7280\">"
            svg += "\(fmt(peak * tick))</text>"
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 8)\" y2=\"\(y)\" stroke=\"#f0f1f3\"/>"
        }
        for i in 0..<h.reference.count {
            let x = left + Double(i) * slot
            let barW = max(slot * 0.38, 1)
            let rh = plotH * h.reference[i] / peak
            let ch = plotH * h.current[i] / peak
            svg += rect(x + slot * 0.1, top + plotH - rh, barW, rh, "#4b6cb7")
            svg += rect(x + slot * 0.1 + barW, top + plotH - ch, barW, ch, "#f08a24")
        }
        if numeric {
            for (i, label) in h.labels.enumerated() where i % 2 == 0 {
                let x = left + Double(i) * slot
                svg +=
                    "<text x=\"\(x)\" y=\"\(top + plotH + 14)\" font-size=\"9\" text-anchor=\"middle\" fill=\"#6b7280\">"
                svg += "\(escape(label))</text>"
            }
        } else if h.labels.allSatisfy({ Double($0.count) * 6 < slot }) {
            for (i, label) in h.labels.enumerated() {
                let x = left + (Double(i) + 0.5) * slot
                svg +=
                    "<text x=\"\(x)\" y=\"\(top + plotH + 15)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#374151\">"
                svg += "\(escape(label))</text>"
            }
        } else {
            for (i, label) in h.labels.enumerated() {
                let x = left + (Double(i) + 0.5) * slot
                let short = label.count > 10 ? String(label.prefix(9)) + "…" : label
                svg +=
                    "<text x=\"\(x)\" y=\"\(top + plotH + 12)\" font-size=\"9\" text-anchor=\"end\" fill=\"#6b7280\" "
                svg += "transform=\"rotate(-35 \(x) \(top + plotH + 12))\">\(escape(short))</text>"
            }
        }
        return svg + "</svg>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: String) -> String {
        "<rect x=\"\(String(format: "%.2f", x))\" y=\"\(String(format: "%.2f", y))\" width=\"\(String(format: "%.2f", w))\" "
            + "height=\"\(String(format: "%.2f", h))\" fill=\"\(color)\"/>"
    }

    static func fmt(_ v: Double) -> String {
        if !v.isFinite { return String(v) }
        if v == 0 { return "0" }
        if abs(v) < 1e-4 { return String(format: "%.2e", v) }
        return String(format: "%.4g", v)
    }

    /// Escapes text for HTML.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
