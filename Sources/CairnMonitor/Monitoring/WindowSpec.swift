import Foundation

/// How the monitor cuts the log into windows: every N predictions, or every fixed stretch of time
/// (aligned to the epoch, so `1h` windows are clock hours).
public enum WindowSpec: Sendable, Equatable, CustomStringConvertible {
    /// Every `n` predictions.
    case count(Int)
    /// Every `millis` milliseconds of prediction time.
    case duration(millis: Int64)

    /// Parses `5000` (predictions) or a duration `30s`, `15m`, `1h`, `1d`.
    public init(parsing text: String) throws(MonitorError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(t) {
            guard n >= 2 else { throw .invalid("--window \(text): a window needs at least 2 predictions") }
            self = .count(n)
            return
        }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            if let n = Int64(t.dropLast(suffix.count)), n > 0, n <= Int64.max / scale, n * scale >= 1000 {
                self = .duration(millis: n * scale)
                return
            }
        }
        throw .invalid(
            "--window \(text): give a number of predictions (5000) or a duration of 1s or more (30s, 15m, 1h)")
    }

    /// The window's length in seconds when it is a duration.
    public var seconds: Double? {
        if case .duration(let ms) = self { return Double(ms) / 1000 }
        return nil
    }

    public var description: String {
        switch self {
        case .count(let n): "\(n) predictions"
        case .duration(let ms):
            ms % 3_600_000 == 0 ? "\(ms / 3_600_000)h" : ms % 60_000 == 0 ? "\(ms / 60_000)m" : "\(ms / 1000)s"
        }
    }
}

/// A monitoring input or setting that cannot be used, with a message that says what to do.
public struct MonitorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public var description: String

    /// A refused input or setting.
    public static func invalid(_ message: String) -> MonitorError { MonitorError(description: message) }
}
