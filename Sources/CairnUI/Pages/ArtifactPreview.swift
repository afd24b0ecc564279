import Foundation

/// The inline preview of one artifact file: text head, CSV table, image or sandboxed HTML.
struct ArtifactPreview {
    static let textLimit = 64 * 1024
    static let csvRows = 50
    static let textExtensions: Set<String> = [
        "txt", "log", "json", "yaml", "yml", "md", "py", "diff", "patch", "toml", "cfg", "ini", "sh", "swift", "xml",
        "js", "css", "sql", "r", "ipynb", "",
    ]
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg", "webp"]

    let runId: String
    let path: String
    let file: String

    var ext: String { (path as NSString).pathExtension.lowercased() }

    func render(download: String) -> Html {
        let raw = QueryString.url("/runs/" + runId + "/artifact", [("path", path)])
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
        let head: Html = """
            <div class="preview-head"><h2>\(path)</h2><span class="muted">\(Format.bytes(size))</span>
            <a class="button small" href="\(download)" download>Download</a></div>
            """
        if Self.imageExtensions.contains(ext) {
            return "\(head)<img class=\"artifact-image\" src=\"\(raw)\" alt=\"Preview of \(path)\">"
        }
        if ext == "html" || ext == "htm" {
            return
                "\(head)<iframe class=\"artifact-html\" sandbox src=\"\(raw)\" title=\"Preview of \(path)\"></iframe>"
        }
        guard let text = readHead() else {
            return "\(head)<p class=\"muted\">Binary file; no preview.</p>"
        }
        let cut: Html = size > Self.textLimit ? "<p class=\"muted small\">Showing the first 64 KB.</p>" : ""
        if ext == "csv" || ext == "tsv" { return "\(head)\(csvTable(text, separator: ext == "csv" ? "," : "\t"))" }
        return "\(head)\(cut)<pre class=\"text-preview\">\(text)</pre>"
    }

    /// The first 64 KB as text, or nil when it is not UTF-8 text.
    private func readHead() -> String? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        var data = (try? handle.read(upToCount: Self.textLimit)) ?? Data()
        if data.contains(0) { return nil }
        for _ in 0..<4 {
            if let s = String(data: data, encoding: .utf8) { return s }
            guard !data.isEmpty else { break }
            data.removeLast()
        }
        return nil
    }

    private func csvTable(_ text: String, separator: Character) -> Html {
        let lines = text.split(whereSeparator: \.isNewline).prefix(Self.csvRows + 1)
        guard let header = lines.first else { return "<p class=\"empty\">Empty file.</p>" }
        let th = Html.join(Self.fields(header, separator).map { "<th scope=\"col\">\($0)</th>" })
        let rows = Html.join(
            lines.dropFirst().map { line in
                "<tr>\(Html.join(Self.fields(line, separator).map { "<td>\($0)</td>" }))</tr>"
            })
        return """
            <p class="muted small">First \(lines.count - 1) rows.</p>
            <div class="table-wrap"><table class="grid"><thead><tr>\(th)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// Splits one CSV line, honouring double-quoted fields.
    static func fields(_ line: Substring, _ separator: Character) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if c == "\"" {
                quoted.toggle()
            } else if c == separator && !quoted {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "svg": "image/svg+xml"
        case "html", "htm": "text/html; charset=utf-8"
        case "json": "application/json"
        case "csv": "text/csv; charset=utf-8"
        default: "text/plain; charset=utf-8"
        }
    }
}
