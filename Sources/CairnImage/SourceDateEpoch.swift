/// Reads `SOURCE_DATE_EPOCH`, the reproducible-builds convention for the one time stamp a build may use.
public enum SourceDateEpoch {
    /// The value in `environment` (0 when unset or empty); nil when it is set to something that is not a
    /// non-negative integer.
    public static func value(_ environment: [String: String]) -> Int64? {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return 0 }
        guard let value = Int64(text), value >= 0 else { return nil }
        return value
    }
}
