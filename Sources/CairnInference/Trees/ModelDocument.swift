/// A parsed JSON or UBJSON document (XGBoost writes its models in both). Numbers keep enough to be
/// read back exactly: JSON text numbers are kept as text, UBJSON numbers as their stored type.
indirect enum ModelDocument: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case float(Float)
    case double(Double)
    /// A JSON number as written, converted on request (so float32 values round-trip exactly).
    case number(String)
    case string(String)
    case array([ModelDocument])
    case object([String: ModelDocument])
    /// A UBJSON typed array of float32.
    case floats([Float])
    /// A UBJSON typed array of integers.
    case ints([Int64])

    /// The member `key` of an object, nil otherwise.
    subscript(key: String) -> ModelDocument? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value as an integer (numbers and numeric strings, as XGBoost stores parameters).
    var intValue: Int64? {
        switch self {
        case .int(let v): v
        case .bool(let v): v ? 1 : 0
        case .float(let v): v.isFinite && v.rounded() == v ? Int64(exactly: v) : nil
        case .double(let v): v.isFinite && v.rounded() == v ? Int64(exactly: v) : nil
        case .number(let s), .string(let s): Int64(s) ?? Double(s).flatMap { Int64(exactly: $0) }
        default: nil
        }
    }

    /// The value as float32, parsed from its text where it has one (correctly rounded).
    var floatValue: Float? {
        switch self {
        case .int(let v): Float(v)
        case .float(let v): v
        case .double(let v): Float(v)
        case .number(let s), .string(let s): Float(s)
        default: nil
        }
    }

    /// The value as a string (strings only).
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as an array of float32 (typed or generic arrays).
    var floatArray: [Float]? {
        switch self {
        case .floats(let v): return v
        case .ints(let v): return v.map { Float($0) }
        case .array(let items):
            var out: [Float] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let v = item.floatValue else { return nil }
                out.append(v)
            }
            return out
        default: return nil
        }
    }

    /// The value as an array of integers (typed or generic arrays).
    var intArray: [Int64]? {
        switch self {
        case .ints(let v): return v
        case .floats(let v):
            var out: [Int64] = []
            for f in v {
                guard let i = Int64(exactly: f) else { return nil }
                out.append(i)
            }
            return out
        case .array(let items):
            var out: [Int64] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let v = item.intValue else { return nil }
                out.append(v)
            }
            return out
        default: return nil
        }
    }

    /// The value as an array of strings.
    var stringArray: [String]? {
        guard case .array(let items) = self else { return nil }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { return nil }
            out.append(s)
        }
        return out
    }

    /// Parses JSON or UBJSON, told apart by the bytes (UBJSON objects start with `{` followed by a
    /// length marker; JSON with whitespace, `"` or `}`).
    static func parse(_ bytes: [UInt8]) throws(InferenceError) -> ModelDocument {
        guard let first = bytes.first(where: { !JSONDocumentParser.isSpace($0) }) else {
            throw .unsupported("the model file is empty")
        }
        guard first == UInt8(ascii: "{") else {
            throw .unsupported("the model file is neither JSON nor UBJSON")
        }
        let start = bytes.firstIndex(of: first)!
        if start + 1 < bytes.count, UBJSONDocumentParser.markers.contains(bytes[start + 1]) {
            var parser = UBJSONDocumentParser(bytes: bytes)
            return try parser.parseDocument()
        }
        var parser = JSONDocumentParser(bytes: bytes)
        return try parser.parseDocument()
    }
}
