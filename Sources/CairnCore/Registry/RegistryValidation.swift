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
            throw .invalid("Invalid model name '\(name)'. Names cannot contain '/' or ':'.")
        }
    }

    /// Checks an alias: word characters and dashes, at most 255, not `latest` or `v<digits>`.
    public static func alias(_ alias: String) throws(MlflowError) {
        if alias.isEmpty { throw .missing("alias") }
        let ok = alias.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        if !ok {
            throw .invalid(
                "Invalid alias name: '\(alias)'. Names may only contain alphanumerics, underscores (_), and dashes (-)."
            )
        }
        if alias.count > aliasLength {
            throw .invalid("'alias' exceeds the maximum length of \(aliasLength) characters")
        }
        if alias.lowercased() == "latest" { throw .invalid("'latest' alias name (case insensitive) is reserved.") }
        let lower = alias.lowercased()
        if lower.hasPrefix("v"), lower.count > 1, lower.dropFirst().allSatisfy(\.isNumber) {
            throw .invalid("Version alias name '\(alias)' is reserved.")
        }
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
        guard let v = Int64(text) else {
            throw .invalid("Parameter 'version' must be an integer, got '\(text)'.")
        }
        return v
    }
}
