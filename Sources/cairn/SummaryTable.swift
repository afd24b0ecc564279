import CairnDrift
import CairnMonitor
import Foundation

/// The plain-text summary `cairn drift` prints.
enum SummaryTable {
    static func render(_ r: DatasetDriftResult, skipped: [SkippedColumn] = []) -> String {
        let header = ["column", "type", "test", "score", "score is", "threshold", "drift"]
        var rows = r.columns.map { c in
            [
                c.name, c.type.rawValue, c.test.rawValue, format(c.score), c.test.isPValue ? "p-value" : "distance",
                format(c.threshold), c.driftDetected ? "DRIFT" : "-",
            ]
        }
        rows += skipped.map { [$0.name, "text", "-", "-", "-", "-", "not tested"] }
        rows.insert(header, at: 0)
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (n, row) in rows.enumerated() {
            out +=
                row.enumerated().map { i, cell in cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\np-value: drift when below the threshold; distance: drift when at or above it.\n"
        let verdict = r.datasetDrift ? "DATASET DRIFT" : "no dataset drift"
        out += "\n\(verdict): \(r.driftedColumns)/\(r.columnCount) columns drifted (share \(format(r.driftShare)), "
        out += "threshold \(format(r.driftShareThreshold)))"
        return out
    }

    static func format(_ v: Double) -> String {
        if !v.isFinite { return String(v) }
        if v != 0 && abs(v) < 1e-4 { return String(format: "%.3e", v) }
        return String(format: "%.4f", v)
    }
}
