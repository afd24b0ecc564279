/// Input validation for tracking entities, with the reference server's error messages.
public enum Validation {
    /// Checks a metric, param or tag key: allowed characters, length, and no path tricks.
    ///
    /// - Parameters:
    ///   - kind: how the key is named in the length message, e.g. "Param key" or "Metric name".
    ///   - path: the request field named in the character messages, e.g. `key` or `params[0].key`.
    public static func validateKey(_ key: String, kind: String, path: String = "key") throws(MlflowError) {
        guard key.utf8.allSatisfy(isKeyByte) else {
            throw .invalid(
                "Invalid value \"\(key)\" for parameter '\(path)' supplied: Names may only contain alphanumerics, "
                    + "underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/)."
            )
        }
        if !isNormalizedPath(key) {
            throw .invalid(
                "Invalid value \"\(key)\" for parameter '\(path)' supplied: Names cannot contain path "
                    + "traversal segments or repeated, leading or trailing slashes."
            )
        }
        if key.count > Limits.entityKeyLength {
            throw .invalid("'\(kind)' exceeds the maximum length of \(Limits.entityKeyLength) characters")
        }
    }

    /// Unicode word characters and `/ . - space :` are allowed; bytes ≥ 0x80 are accepted as
    /// parts of non-ASCII letters.
    private static func isKeyByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: ":"),
            UInt8(ascii: "/"):
            return true
        default:
            return b >= 0x80
        }
    }

    /// A key must read the same after path normalisation: no `..`/`.` segments, no leading,
    /// trailing or doubled slashes.
    private static func isNormalizedPath(_ key: String) -> Bool {
        if key.isEmpty { return true }
        if key.hasPrefix("/") || key.contains("//") { return false }
        if key.count > 1 && key.hasSuffix("/") { return false }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        return !segments.contains { $0 == ".." || $0 == "." }
    }

    /// Truncates a value to `limit` characters (the reference default behaviour).
    public static func truncate(_ value: String, to limit: Int) -> String {
        value.count > limit ? String(value.prefix(limit)) : value
    }

    /// Checks a param and truncates its value.
    public static func param(_ p: KeyValue, path: String = "key") throws(MlflowError) -> KeyValue {
        try validateKey(p.key, kind: "Param key", path: path)
        return KeyValue(p.key, truncate(p.value, to: Limits.paramValueLength))
    }

    /// Checks a run tag and truncates its value; the run-name tag must be a valid run name.
    public static func runTag(_ t: KeyValue, path: String = "key") throws(MlflowError) -> KeyValue {
        try validateKey(t.key, kind: "Tag key", path: path)
        if t.key == "mlflow.runName" { try runName(t.value) }
        return KeyValue(t.key, truncate(t.value, to: Limits.runTagValueLength))
    }

    /// Checks a run name against the length of MLflow's `runs.name` column.
    public static func runName(_ name: String) throws(MlflowError) {
        if name.count > Limits.runNameLength {
            throw .invalid("'run_name' exceeds the maximum length of \(Limits.runNameLength) characters")
        }
    }

    /// Checks the number of `order_by` terms of a search.
    public static func orderByCount(_ count: Int) throws(MlflowError) {
        if count > Limits.orderByTerms {
            throw .invalid(
                "Invalid value for parameter 'order_by': at most \(Limits.orderByTerms) terms are allowed, got \(count)."
            )
        }
    }

    /// Checks a metric's key and timestamp.
    public static func metric(_ m: Metric, path: String = "name") throws(MlflowError) {
        try validateKey(m.key, kind: "Metric name", path: path)
        if m.timestamp < 0 {
            throw .invalid("Invalid value \(m.timestamp) for parameter 'timestamp' supplied: must be non-negative.")
        }
    }

    /// Checks an experiment name.
    public static func experimentName(_ name: String) throws(MlflowError) {
        if name.isEmpty {
            throw .invalid("Invalid experiment name: '\(name)'. Experiment name cannot be empty.")
        }
        if name.count > Limits.experimentNameLength {
            throw .invalid(
                "'name' exceeds the maximum length of \(Limits.experimentNameLength) characters"
            )
        }
        if name.utf8.contains(0) {
            throw .invalid("Invalid experiment name: NUL characters (\\u0000) are not allowed.")
        }
    }

    /// Checks an experiment tag (no truncation; too-long values are rejected).
    public static func experimentTag(_ t: KeyValue) throws(MlflowError) {
        try validateKey(t.key, kind: "Tag key")
        if t.value.count > Limits.experimentTagValueLength {
            throw .invalid("'value' exceeds the maximum length of \(Limits.experimentTagValueLength) characters")
        }
    }

    /// Checks the shape of a run id (`^[a-zA-Z0-9][\w\-]{0,255}$`).
    public static func runId(_ id: String) throws(MlflowError) {
        let bytes = Array(id.utf8)
        let ok =
            !bytes.isEmpty && bytes.count <= 256
            && bytes.enumerated().allSatisfy { i, b in
                let alnum =
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
                return alnum || (i > 0 && (b == UInt8(ascii: "_") || b == UInt8(ascii: "-")))
            }
        guard ok else { throw .invalid("Invalid run ID: '\(id)'") }
    }

    /// Checks the counts of a log-batch request.
    public static func batchSizes(metrics: Int, params: Int, tags: Int) throws(MlflowError) {
        func tooMany(_ n: Int, _ limit: Int, _ what: String) -> MlflowError {
            .invalid(
                "A batch logging request can contain at most \(limit) \(what). Got \(n) \(what). "
                    + "Please split up \(what) across multiple requests and try again."
            )
        }
        if metrics > Limits.batchMetrics { throw tooMany(metrics, Limits.batchMetrics, "metrics") }
        if params > Limits.batchParams { throw tooMany(params, Limits.batchParams, "params") }
        if tags > Limits.batchTags { throw tooMany(tags, Limits.batchTags, "tags") }
        let total = metrics + params + tags
        if total > Limits.batchTotal {
            throw .invalid(
                "A batch logging request can contain at most \(Limits.batchTotal) total entities "
                    + "(metrics, params and tags). Got \(total) entities."
            )
        }
    }

    /// Rejects duplicate param keys within one batch.
    public static func uniqueParamKeys(_ params: [KeyValue]) throws(MlflowError) {
        var seen = Set<String>()
        var dups: [String] = []
        for p in params where !seen.insert(p.key).inserted {
            if !dups.contains(p.key) { dups.append(p.key) }
        }
        if !dups.isEmpty {
            let list = dups.map { "'\($0)'" }.joined(separator: ", ")
            throw .invalid(
                "Duplicate parameter keys have been submitted: [\(list)]. Please ensure the request contains only one "
                    + "param value per param key."
            )
        }
    }

    /// Checks a dataset input against the size limits.
    public static func datasetInput(_ input: DatasetInput) throws(MlflowError) {
        let d = input.dataset
        func check(_ value: String, _ limit: Int, _ name: String) throws(MlflowError) {
            if value.utf8.count > limit {
                throw .invalid("Dataset \(name) exceeds the maximum length of \(limit)")
            }
        }
        func checkField(_ value: String, _ limit: Int, _ field: String) throws(MlflowError) {
            if value.utf8.count > limit {
                throw .invalid("'\(field)' exceeds the maximum length of \(limit) characters")
            }
        }
        try checkField(d.name, Limits.datasetName, "name")
        try checkField(d.digest, Limits.datasetDigest, "digest")
        try checkField(d.source, Limits.datasetSource, "source")
        try checkField(d.schema ?? "", Limits.datasetSchema, "schema")
        try checkField(d.profile ?? "", Limits.datasetProfile, "profile")
        for t in input.tags {
            try check(t.key, Limits.inputTagKey, "input tag key")
            try check(t.value, Limits.inputTagValue, "input tag value")
        }
    }
}
