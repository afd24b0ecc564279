import CairnCore
import CairnServingCore

/// A self-contained HTML page for one monitoring window: its metrics, the drift of each feature and the
/// concept-drift events. No scripts or remote resources.
public enum WindowHTML {
    /// Renders the page.
    public static func render(_ report: WindowReport, model: String, version: String) -> String {
        let title = "Monitoring \(model)/\(version), window \(report.index)"
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLReport.escape(title))</title>
            <style>
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:32px;color:#1d2330}
            table{border-collapse:collapse;margin-bottom:24px;font-size:14px}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e5e7eb} th{background:#f3f4f6}
            td.num{text-align:right;font-variant-numeric:tabular-nums} .d{color:#9b1c1c;font-weight:600}
            </style></head><body>
            <h1>\(HTMLReport.escape(title))</h1>
            <p>\(HTMLReport.escape(RFC3339.format(millis: report.startMillis))) – \(HTMLReport.escape(RFC3339.format(millis: report.endMillis))) · \
            predictions \(report.firstPrediction)–\(report.firstPrediction + report.predictions - 1)</p>
            <h2>Metrics</h2><table><tr><th>metric</th><th>value</th></tr>

            """
        for (name, value) in report.metrics where !name.hasPrefix("drift.") || !name.hasSuffix(".score") {
            html += "<tr><td>\(HTMLReport.escape(name))</td><td class=\"num\">\(formatShort(value))</td></tr>\n"
        }
        html += "</table>\n"
        if let drift = report.drift {
            html += "<h2>Data drift</h2><table><tr><th>feature</th><th>test</th><th>score</th><th>threshold</th>"
            html += "<th>drift</th></tr>\n"
            for c in drift.columns {
                html += "<tr><td>\(HTMLReport.escape(c.name))</td><td>\(HTMLReport.escape(c.test.displayName))</td>"
                html +=
                    "<td class=\"num\">\(formatShort(c.score))</td><td class=\"num\">\(formatShort(c.threshold))</td>"
                html += c.driftDetected ? "<td class=\"d\">drift</td></tr>\n" : "<td>–</td></tr>\n"
            }
            html += "</table>\n"
        } else {
            html += "<p>This window is the reference for the ones after it.</p>\n"
        }
        if !report.conceptDrift.isEmpty {
            html += "<h2>Concept drift</h2><table><tr><th>error-stream index</th><th>prediction time</th></tr>\n"
            for e in report.conceptDrift {
                html += "<tr><td class=\"num\">\(e.index)</td>"
                html += "<td>\(HTMLReport.escape(RFC3339.format(millis: e.predictionMillis)))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</body></html>\n"
    }
}
