/// The OCI distribution rule for tags: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
public enum ImageTagRule {
    /// Whether `tag` is a valid tag.
    public static func isValid(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128 else { return false }
        func word(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
        }
        return word(first) && bytes.allSatisfy { word($0) || $0 == 0x2E || $0 == 0x2D }
    }
}
