import Foundation

/// Wall-clock helpers.
enum Clock {
    /// Milliseconds since the Unix epoch.
    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
