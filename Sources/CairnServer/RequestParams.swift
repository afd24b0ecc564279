import CairnCore

/// The fields of an API request, read the same way whether they came as a JSON body (POST,
/// PATCH, DELETE) or as query parameters (GET), with MLflow's error messages for missing or
/// mistyped values.
public struct RequestParams: Sendable {
    enum Source: Sendable {
        case json([String: JSONValue])
        case query([String: [String]])
    }

    let source: Source
    /// Path parameters such as `{model_id}`; they win over body fields.
    var pathParameters: [String: String] = [:]

    init(json: [String: JSONValue]) { source = .json(json) }
    init(query: [String: [String]]) { source = .query(query) }

    /// Parses a query string: `+` means space, keys and values are percent-decoded, repeated keys kept.
    static func parseQuery(_ query: String?) -> [String: [String]] {
        var result: [String: [String]] = [:]
        guard let query, !query.isEmpty else { return result }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = ArtifactPath.percentDecoded(String(pieces[0]), plusAsSpace: true) ?? String(pieces[0])
            let value =
                pieces.count > 1
                ? (ArtifactPath.percentDecoded(String(pieces[1]), plusAsSpace: true) ?? String(pieces[1])) : ""
            result[key, default: []].append(value)
        }
        return result
    }

    /// Whether the `%XX` escapes of a query component decode to bytes that are not UTF-8 (malformed
    /// escapes such as a lone `%` are left to the lenient decoder).
    static func escapesInvalidUTF8(_ text: String) -> Bool {
        guard text.contains("%") else { return false }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self) == nil
    }

    /// The error for a NUL character in a field: stores would cut the string there.
    static func nulCharacter(_ field: String) -> MlflowError {
        let name = field.utf8.contains(0) ? "a field name" : "'\(field)'"
        return .invalid("Invalid value for \(name): NUL characters (\\u0000) are not allowed.")
    }

    /// Refuses any key or string value, at any depth, that contains a NUL character.
    static func rejectNul(in object: [String: JSONValue]) throws(MlflowError) {
        func check(_ value: JSONValue, field: String) throws(MlflowError) {
            switch value {
            case .string(let s) where s.utf8.contains(0): throw nulCharacter(field)
            case .array(let items): for item in items { try check(item, field: field) }
            case .object(let members):
                for (key, member) in members {
                    if key.utf8.contains(0) { throw nulCharacter(key) }
                    try check(member, field: key)
                }
            default: break
            }
        }
        try check(.object(object), field: "")
    }

    /// The reference server's type error: the value quoted as compact JSON and its Python type name.
    private func invalidType(_ name: String, _ value: JSONValue, _ expected: String) -> MlflowError {
        .invalid(
            "Invalid value \(value.messageRendering) for parameter '\(name)' supplied:  Hint: Value was of type "
                + "'\(typeName(value))'. See the API docs for more information about request parameters.")
    }

    /// The type error for a field as it was sent (a query value quotes as a string).
    func typeError(_ name: String) -> MlflowError {
        switch source {
        case .json(let o): invalidType(name, o[name] ?? .null, "")
        case .query(let q): invalidType(name, .string(q[name]?.first ?? ""), "")
        }
    }

    private func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        }
    }

    /// Whether a field is present (and not JSON null).
    func has(_ name: String) -> Bool {
        if pathParameters[name] != nil { return true }
        switch source {
        case .json(let o):
            if let v = o[name], v != .null { return true }
            return false
        case .query(let q): return q[name] != nil
        }
    }

    /// An optional string field.
    func string(_ name: String) throws(MlflowError) -> String? {
        if let p = pathParameters[name] { return p }
        switch source {
        case .json(let o):
            guard let v = o[name] else { return nil }
            switch v {
            case .null: return nil
            case .string(let s): return s
            default: throw invalidType(name, v, "a string")
            }
        case .query(let q): return q[name]?.first
        }
    }

    /// A required string field; empty strings count as missing unless `allowEmpty`.
    func requiredString(_ name: String, allowEmpty: Bool = false) throws(MlflowError) -> String {
        guard let s = try string(name), allowEmpty || !s.isEmpty else { throw .missing(name) }
        return s
    }

    /// The first non-empty of several alias fields (e.g. `run_id` and the deprecated `run_uuid`).
    func requiredString(anyOf names: [String]) throws(MlflowError) -> String {
        for n in names {
            if let s = try string(n), !s.isEmpty { return s }
        }
        throw .missing(names[0])
    }

    /// An optional int64 (JSON number, or a string of digits as proto JSON allows).
    func int64(_ name: String) throws(MlflowError) -> Int64? {
        let raw: JSONValue
        switch source {
        case .json(let o):
            guard let v = o[name] else { return nil }
            raw = v
        case .query(let q):
            guard let s = q[name]?.first else { return nil }
            guard let i = Int64(s) else { throw invalidType(name, .string(s), "an integer") }
            return i
        }
        switch raw {
        case .null: return nil
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9.2e18: return Int64(d)
        case .string(let s):
            guard let i = Int64(s) else { throw invalidType(name, raw, "an integer") }
            return i
        default: throw invalidType(name, raw, "an integer")
        }
    }

    /// An optional double; NaN and ±Infinity may come as strings.
    func double(_ name: String) throws(MlflowError) -> Double? {
        let raw: JSONValue
        switch source {
        case .json(let o):
            guard let v = o[name] else { return nil }
            raw = v
        case .query(let q):
            guard let s = q[name]?.first else { return nil }
            raw = .string(s)
        }
        if let d = Self.number(raw) { return d }
        if raw == .null { return nil }
        throw invalidType(name, raw, "a number")
    }

    /// Reads a JSON number or a numeric string (including "NaN", "Infinity", "-Infinity").
    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s):
            switch s {
            case "NaN", "nan": return .nan
            case "Infinity", "inf", "Inf": return .infinity
            case "-Infinity", "-inf", "-Inf": return -.infinity
            default: return Double(s)
            }
        default: return nil
        }
    }

    /// An optional proto enum field as text: its name, or its number given as a JSON number or a string.
    func enumText(_ name: String) throws(MlflowError) -> String? {
        switch source {
        case .json(let o):
            switch o[name] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case .int(let i)?: return String(i)
            case let other?: throw invalidType(name, other, "an enum name or number")
            }
        case .query(let q): return q[name]?.first
        }
    }

    /// An optional run status: its name (`FINISHED`) or proto number (`3`, as a number or a string);
    /// anything else is refused rather than ignored.
    func runStatus(_ name: String) throws(MlflowError) -> RunStatus? {
        guard let text = try enumText(name) else { return nil }
        guard let status = RunStatus(wire: text) else {
            throw .invalid(
                "Invalid value '\(text)' for parameter '\(name)' supplied. Expected one of RUNNING, SCHEDULED, "
                    + "FINISHED, FAILED, KILLED.")
        }
        return status
    }

    /// An optional view type (`ACTIVE_ONLY`, `DELETED_ONLY`, `ALL` or 1–3).
    func viewType(_ name: String) throws(MlflowError) -> ViewType? {
        guard let text = try enumText(name) else { return nil }
        guard let view = ViewType(wire: text) else {
            // The reference's proto parser ignores an unknown name but refuses an unknown number.
            guard Int(text) != nil else { return nil }
            throw .invalid("Invalid value \(text) for parameter '\(name)' supplied.")
        }
        return view
    }

    /// An optional boolean.
    func bool(_ name: String) throws(MlflowError) -> Bool? {
        switch source {
        case .json(let o):
            guard let v = o[name] else { return nil }
            switch v {
            case .null: return nil
            case .bool(let b): return b
            case .string(let s) where s.lowercased() == "true": return true
            case .string(let s) where s.lowercased() == "false": return false
            default: throw invalidType(name, v, "a boolean")
            }
        case .query(let q):
            guard let s = q[name]?.first else { return nil }
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: throw invalidType(name, .string(s), "a boolean")
            }
        }
    }

    /// A repeated string field (JSON array, or repeated query keys).
    func strings(_ name: String) throws(MlflowError) -> [String] {
        switch source {
        case .json(let o):
            guard let v = o[name] else { return [] }
            switch v {
            case .null: return []
            case .array(let items):
                var out: [String] = []
                for item in items {
                    guard case .string(let s) = item else { throw invalidType(name, v, "a list of strings") }
                    out.append(s)
                }
                return out
            default: throw invalidType(name, v, "a list of strings")
            }
        case .query(let q): return q[name] ?? []
        }
    }

    /// A repeated message field as JSON objects (only from JSON bodies).
    func objects(_ name: String) throws(MlflowError) -> [[String: JSONValue]] {
        guard case .json(let o) = source, let v = o[name] else { return [] }
        switch v {
        case .null: return []
        case .array(let items):
            var out: [[String: JSONValue]] = []
            for item in items {
                guard case .object(let obj) = item else { throw invalidType(name, v, "a list of objects") }
                out.append(obj)
            }
            return out
        default: throw invalidType(name, v, "a list of objects")
        }
    }

    /// A repeated `{key, value}` field; `key` is required in each entry. With `elementPaths`, a
    /// missing key is reported as `name[i].key`, as the reference does for log-batch.
    func keyValues(_ name: String, elementPaths: Bool = false) throws(MlflowError) -> [KeyValue] {
        var out: [KeyValue] = []
        for (i, obj) in try objects(name).enumerated() {
            let entry = RequestParams(json: obj)
            if elementPaths, (try entry.string("key") ?? "").isEmpty { throw .missing("\(name)[\(i)].key") }
            let key = try entry.requiredString("key")
            let value = try entry.string("value") ?? ""
            out.append(KeyValue(key, value))
        }
        return out
    }

    /// A sub-message as params.
    func object(_ name: String) throws(MlflowError) -> RequestParams? {
        guard case .json(let o) = source, let v = o[name] else { return nil }
        switch v {
        case .null: return nil
        case .object(let obj): return RequestParams(json: obj)
        default: throw invalidType(name, v, "an object")
        }
    }
}
