/// A URI split as Python's `urlsplit` does: lower-cased scheme and authority, the path, and its
/// non-empty percent-decoded segments.
struct URIParts {
    var scheme = ""
    var authority = ""
    var path = ""
    var segments: [String] = []

    init(_ uri: String) {
        var rest = Substring(uri)
        if let s = ArtifactLocation.scheme(uri) {
            scheme = s
            rest = rest.dropFirst(s.count + 1)
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            authority = rest[..<end].lowercased()
            rest = rest[end...]
        }
        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        path = String(rest[..<pathEnd])
        segments = path.split(separator: "/").map { ArtifactPath.percentDecoded(String($0)) ?? String($0) }
    }
}
