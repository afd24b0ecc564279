/// Validation of artifact paths received from clients.
///
/// A path is rejected with 400 `Invalid path` when it, or its percent-decoded form, contains
/// `..` segments, is absolute, contains a backslash, `#`, a NUL byte, or starts with a drive
/// letter, and with a clearer 400 when one segment is longer than a file name may be (255 bytes). Accepted paths are returned as clean segments, so nothing can resolve outside the
/// artifact root.
public enum ArtifactPath {
    /// The error every rejected path produces.
    public static let invalid = MlflowError.invalid("Invalid path")

    /// The longest file or folder name most file systems store (`NAME_MAX`).
    public static let maxSegmentBytes = 255

    /// Validates an already percent-decoded relative path and splits it into segments.
    public static func segments(_ path: String) throws(MlflowError) -> [String] {
        var candidate = path
        // Decode repeatedly so that double-encoded traversal (`%252e%252e`) is caught too.
        for _ in 0..<3 {
            try check(candidate)
            guard candidate.contains("%"), let decoded = percentDecoded(candidate), decoded != candidate else { break }
            candidate = decoded
        }
        return path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    }

    private static func check(_ p: String) throws(MlflowError) {
        if p.hasPrefix("/") || p.contains("\\") || p.contains("#") || p.utf8.contains(0) { throw invalid }
        let scalars = Array(p.unicodeScalars)
        if scalars.count >= 2, scalars[1] == ":", scalars[0].properties.isAlphabetic { throw invalid }
        let parts = p.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." }) { throw invalid }
        if parts.contains(where: { $0.utf8.count > maxSegmentBytes }) {
            throw MlflowError.invalid("Invalid path: a path segment is longer than \(maxSegmentBytes) bytes.")
        }
    }

    /// The path below the artifact proxy's root that an `mlflow-artifacts:/p` (or
    /// `mlflow-artifacts://host/p`) URI names, without surrounding slashes; nil for other schemes.
    public static func proxyRelativePath(_ uri: String) -> String? {
        for prefix in ["mlflow-artifacts://", "mlflow-artifacts:/"] where uri.hasPrefix(prefix) {
            var rest = Substring(uri.dropFirst(prefix.count))
            if prefix == "mlflow-artifacts://", let slash = rest.firstIndex(of: "/") {
                rest = rest[rest.index(after: slash)...]
            }
            while rest.hasPrefix("/") { rest = rest.dropFirst() }
            while rest.hasSuffix("/") { rest = rest.dropLast() }
            return String(rest)
        }
        return nil
    }

    /// Joins a URI or path root and a child with exactly one slash (an empty child leaves the root).
    public static func join(_ root: String, _ child: String) -> String {
        guard !child.isEmpty else { return root }
        var r = root
        while r.hasSuffix("/") { r.removeLast() }
        return r + "/" + child
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`, as in query strings); nil
    /// when an escape is malformed or the result is not UTF-8.
    public static func percentDecoded(_ s: String, plusAsSpace: Bool = false) -> String? {
        guard s.contains("%") || (plusAsSpace && s.contains("+")) else { return s }
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) else {
                    return nil
                }
                out.append(h << 4 | l)
                i += 3
            } else if plusAsSpace && bytes[i] == UInt8(ascii: "+") {
                out.append(0x20)
                i += 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
