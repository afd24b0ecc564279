/// Kubernetes object names: DNS-1123 labels (lowercase letters, digits and `-`, at most 63, starting and ending
/// with a letter or digit).
public enum KubeName {
    /// A valid name made from `text` (other characters become `-`, runs collapse, cut to `limit`).
    public static func from(_ text: String, limit: Int = 63) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
            } else if !out.hasSuffix("-") {
                out.append("-")
            }
        }
        var trimmed = Substring(out.prefix(limit))
        while trimmed.hasPrefix("-") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("-") { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? "model" : String(trimmed)
    }

    /// Whether `text` is already a valid name.
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 63 && from(text) == text
    }
}
