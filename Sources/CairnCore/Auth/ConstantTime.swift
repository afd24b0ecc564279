/// Comparisons whose time does not depend on where two secrets differ (tokens, digests, form tokens).
///
/// ```swift
/// ConstantTime.equal(sentToken, expectedToken)
/// ```
public enum ConstantTime {
    /// Whether two byte strings are equal, looking at every byte of the longer one.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }

    /// Whether two strings have the same UTF-8 bytes.
    public static func equal(_ a: String, _ b: String) -> Bool { equal(Array(a.utf8), Array(b.utf8)) }
}
