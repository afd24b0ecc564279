/// The `Content-Type` and `Content-Disposition` of an artifact download, following the MLflow
/// tracking server's rules.
///
/// Names with a known text extension (`.txt`, `.json`, `.yaml`, `.csv`, `.py`, …) and the
/// extension-less `MLmodel` and `mlproject` are `text/plain`; other names get the type of
/// their extension from a fixed table (`.png` is `image/png`, `.pdf` is `application/pdf`);
/// everything else is `application/octet-stream`.
///
/// ```swift
/// ArtifactContentType.of("model/MLmodel")   // "text/plain"
/// ArtifactContentType.of("plot.png")        // "image/png"
/// ArtifactContentType.disposition("a b.csv") // "attachment; filename=\"a b.csv\""
/// ```
public enum ArtifactContentType {
    /// Extensions (and whole extension-less names) served as `text/plain`; matched case-sensitively.
    public static let textExtensions: Set<String> = [
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml",
        "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "ipynb", "MLmodel", "mlproject",
    ]

    /// Types by lower-cased extension, for names that are not text.
    public static let byExtension: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "gif": "image/gif",
        "svg": "image/svg+xml", "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
        "ico": "image/vnd.microsoft.icon", "avif": "image/avif", "pdf": "application/pdf", "html": "text/html",
        "htm": "text/html", "css": "text/css", "wav": "audio/x-wav", "mp3": "audio/mpeg", "mp4": "video/mp4",
        "webm": "video/webm", "zip": "application/zip", "tar": "application/x-tar", "h5": "application/x-hdf5",
        "ps": "application/postscript", "eps": "application/postscript", "txt": "text/plain",
        "json": "application/json",
        "xml": "text/xml", "js": "application/javascript", "mjs": "application/javascript",
    ]

    /// The content type of the file named by the last segment of `path`.
    public static func of(_ path: String) -> String {
        let name = baseName(path)
        let ext = fileExtension(name)
        if textExtensions.contains(ext.isEmpty ? name : ext) { return "text/plain" }
        return byExtension[ext.lowercased()] ?? "application/octet-stream"
    }

    /// `attachment; filename=…` for the last segment of `path`: bare when the name is an HTTP
    /// token, quoted otherwise, with an RFC 5987 `filename*` for non-ASCII names.
    public static func disposition(_ path: String) -> String {
        let name = baseName(path)
        if name.unicodeScalars.allSatisfy(\.isASCII) { return "attachment; filename=" + quotedIfNeeded(name) }
        let fallback = String(String.UnicodeScalarView(name.unicodeScalars.filter(\.isASCII)))
        return "attachment; filename=" + quotedIfNeeded(fallback.isEmpty ? "download" : fallback)
            + "; filename*=UTF-8''" + percentEncoded(name)
    }

    /// The last non-empty `/`-separated segment.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The text after the last dot of a name, as Python's `os.path.splitext` finds it (a leading
    /// dot does not start an extension).
    static func fileExtension(_ name: String) -> String {
        let trimmed = name.drop { $0 == "." }
        guard let dot = trimmed.lastIndex(of: ".") else { return "" }
        return String(trimmed[trimmed.index(after: dot)...])
    }

    private static let tokenPunctuation = Set("!#$%&'*+-.^_`|~".unicodeScalars)

    private static func quotedIfNeeded(_ s: String) -> String {
        let isToken =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                    || tokenPunctuation.contains($0)
            }
        if isToken { return s }
        return "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    private static func percentEncoded(_ s: String) -> String {
        let safe = Set("!#$&+-.^_`|~".utf8)
        var out = ""
        for byte in s.utf8 {
            let isAlnum =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if isAlnum || safe.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
