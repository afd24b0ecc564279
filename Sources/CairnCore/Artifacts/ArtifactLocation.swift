/// Experiment artifact locations as the reference server stores them: a relative local path (or
/// a relative `file:` URI) is made absolute against the server's working directory and
/// normalised; any other URI is kept as given.
///
/// ```swift
/// ArtifactLocation.resolve("runs/../art/", workingDirectory: "/srv")  // "/srv/art"
/// ArtifactLocation.resolve("file:art", workingDirectory: "/srv")      // "file:///srv/art"
/// ArtifactLocation.resolve("s3://bucket/p", workingDirectory: "/srv") // "s3://bucket/p"
/// ```
public enum ArtifactLocation {
    /// The location to store for `location` given the server's working directory.
    public static func resolve(_ location: String, workingDirectory: String) -> String {
        switch scheme(location) {
        case nil:
            return location.hasPrefix("/") ? location : normalized(workingDirectory + "/" + location)
        case "file"?:
            let path = String(location.dropFirst("file:".count))
            if path.hasPrefix("/") { return location }
            return "file://" + normalized(workingDirectory + "/" + path)
        default:
            return location
        }
    }

    /// The URI scheme, lower-cased (`s3`, `file`, `mlflow-artifacts`), or nil for a plain path.
    static func scheme(_ location: String) -> String? {
        guard let colon = location.firstIndex(of: ":") else { return nil }
        let name = location[..<colon]
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
        }
        return allowed ? name.lowercased() : nil
    }

    /// An absolute path with `.`, `..` and repeated or trailing slashes removed.
    static func normalized(_ absolute: String) -> String {
        var parts: [Substring] = []
        for segment in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(segment)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
