import Foundation

/// Formatting of times, durations and numbers for display.
enum Format {
    /// `2026-11-27 22:04:05` in UTC, from ms since the epoch.
    static func time(_ ms: Int64?) -> String {
        guard let ms, ms > 0 else { return "—" }
        let secs = ms / 1000
        let days = Int(secs / 86_400)
        let rem = Int(secs % 86_400)
        let (y, m, d) = civil(fromDays: days)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    /// Converts days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `1h 02m`, `3m 05s`, `4.2s` from milliseconds.
    static func duration(_ ms: Int64?) -> String {
        guard let ms, ms >= 0 else { return "—" }
        if ms < 60_000 { return String(format: "%.1fs", Double(ms) / 1000) }
        let s = ms / 1000
        if s < 3600 { return String(format: "%dm %02ds", s / 60, s % 60) }
        if s < 86_400 { return String(format: "%dh %02dm", s / 3600, s % 3600 / 60) }
        return String(format: "%dd %02dh", s / 86_400, s % 86_400 / 3600)
    }

    /// A metric value with up to 6 significant digits.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "∞" : "-∞" }
        if v == v.rounded(), abs(v) < 1e12 { return String(Int64(v)) }
        return String(format: "%.6g", v)
    }

    /// A metric value rounded to 4 significant digits for tables, with the full value (15 significant
    /// digits, past which a double is only rounding noise) on hover when the rounding hid digits.
    static func value(_ v: Double) -> Html {
        guard v.isFinite, v != v.rounded() else { return "\(number(v))" }
        let short = String(format: "%.4g", v)
        let full = String(format: "%.15g", v)
        guard Double(short) != Double(full) else { return "\(short)" }
        return "<span title=\"\(full)\">\(short)</span>"
    }

    /// A byte count as `12.3 KB`.
    static func bytes(_ n: Int64?) -> String {
        guard let n else { return "" }
        if n < 1024 { return "\(n) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024, i < units.count - 1 {
            v /= 1024
            i += 1
        }
        return String(format: "%.1f", v) + " " + units[i]
    }
}
