/// Validation rules of the model registry, with the reference server's messages.
public enum RegistryValidation {
    /// Longest registry tag key.
    public static let tagKeyLength = 250
    /// Longest registry tag value.
    public static let tagValueLength = 100_000
    /// Longest alias.
    public static let aliasLength = 255

    /// Checks a registered model name: non-empty, at most 256 characters, no `/` or `:`.
    public static func modelName(_ name: String) throws(MlflowError) {
        if name.isEmpty { throw .invalid("Registered model name cannot be empty.") }
        if name.count > Limits.registeredModelNameLength {
            throw .invalid(
                "'name' exceeds the maximum length of \(Limits.registeredModelNameLength) characters")
        }
        if name.contains("/") || name.contains(":") {
            throw .invalid("Invalid model name: '\(name)'. Names cannot contain '/' or ':'.")
        }
    }

    /// Checks an alias: word characters and dashes, at most 255, not `latest` or `v<digits>`.
    public static func alias(_ alias: String) throws(MlflowError) {
        if alias.isEmpty { throw .missing("alias") }
        let ok = alias.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        if !ok || alias.count > aliasLength {
            throw .invalid(
                "Invalid alias name: '\(alias)'. Aliases may only contain alphanumerics, underscores and dashes, "
                    + "and be at most \(aliasLength) characters long.")
        }
        if alias.lowercased() == "latest" { throw .invalid("'latest' alias name (case insensitive) is reserved.") }
        let lower = alias.lowercased()
        if lower.hasPrefix("v"), lower.count > 1, lower.dropFirst().allSatisfy(\.isNumber) {
            throw .invalid("Version alias name '\(alias)' is reserved.")
        }
    }

    /// Whether a URI hides `..` segments, NUL bytes or encoded slashes, also behind repeated percent-encoding.
    static func hasTraversal(_ uri: String) -> Bool {
        var current = uri
        for _ in 0..<4 {
            let lower = current.lowercased()
            if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || current.utf8.contains(0) {
                return true
            }
            let path = current.split(separator: "?", maxSplits: 1).first.map(String.init) ?? current
            if path.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
                return true
            }
            guard current.contains("%"), let decoded = ArtifactPath.percentDecoded(current), decoded != current else {
                return false
            }
            current = decoded
        }
        return true
    }

    /// Checks a registry tag.
    public static func tag(_ t: KeyValue) throws(MlflowError) {
        try Validation.validateKey(t.key, kind: "key")
        if t.value.count > tagValueLength {
            throw .invalid("'value' exceeds the maximum length of \(tagValueLength) characters")
        }
    }

    /// Parses a version number sent as a string.
    public static func version(_ text: String) throws(MlflowError) -> Int64 {
        guard let v = Int64(text), v > 0 else {
            throw .invalid("Model version must be an integer, got '\(text)'")
        }
        return v
    }

    /// Checks a model version source as the reference does for remote and local URIs.
    ///
    /// Remote URIs may not hide path traversal; local paths must sit inside the run's
    /// artifact location (and so need a run).
    public static func source(_ source: String, runArtifactUri: String?) throws(MlflowError) {
        if source.isEmpty { throw .missing("source") }
        let lower = source.lowercased()
        let schemeEnd = lower.firstIndex(of: ":")
        let scheme = schemeEnd.map { String(lower[..<$0]) }
        if scheme == "models" || scheme == "runs" { return }
        let remote = ["http", "https", "mlflow-artifacts", "s3", "ftp", "gs", "wasbs", "hdfs", "dbfs", "abfss"]
        if let scheme, remote.contains(scheme) {
            if hasTraversal(source) {
                throw .invalid(
                    "If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts "
                        + "uri, an absolute path must be provided without relative path references present. "
                        + "Please provide an absolute path.")
            }
            return
        }
        // A local path or file: URI.
        let localError = MlflowError.invalid(
            "To use a local path as a model version source, the run_id request parameter has to be specified and "
                + "the local path has to be contained within the artifact directory of the run specified by the run_id."
        )
        guard let root = runArtifactUri else { throw localError }
        func strip(_ s: String) -> String {
            var s = s
            if s.hasPrefix("file://") { s = String(s.dropFirst("file://".count)) }
            while s.hasSuffix("/") { s.removeLast() }
            return s
        }
        let path = strip(source)
        let base = strip(root)
        if path.split(separator: "/").contains("..") || !(path == base || path.hasPrefix(base + "/")) {
            throw localError
        }
    }
}
