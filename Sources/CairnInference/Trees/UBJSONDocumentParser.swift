/// A UBJSON reader (Universal Binary JSON, big-endian), including the optimized typed-array form
/// `[$<type>#<count>` XGBoost uses for its node arrays.
struct UBJSONDocumentParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 512

    /// Markers that may follow the opening `{` of a UBJSON object (a key length's integer type, or `}`).
    static let markers: Set<UInt8> = Set("iUIlL}#$".utf8)

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the one top-level value.
    mutating func parseDocument() throws(InferenceError) -> ModelDocument {
        let value = try parseValue()
        return value
    }

    private func fail(_ what: String) -> InferenceError {
        .unsupported("malformed UBJSON model at byte \(index): \(what)")
    }

    private mutating func byte() throws(InferenceError) -> UInt8 {
        guard index < bytes.count else { throw fail("unexpected end of file") }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func bigEndian(_ count: Int) throws(InferenceError) -> UInt64 {
        guard count <= bytes.count - index else { throw fail("unexpected end of file") }
        var v: UInt64 = 0
        for i in 0..<count { v = v << 8 | UInt64(bytes[index + i]) }
        index += count
        return v
    }

    private mutating func integer(_ marker: UInt8) throws(InferenceError) -> Int64 {
        switch marker {
        case UInt8(ascii: "i"): return Int64(Int8(bitPattern: UInt8(try bigEndian(1))))
        case UInt8(ascii: "U"): return Int64(try bigEndian(1))
        case UInt8(ascii: "I"): return Int64(Int16(bitPattern: UInt16(try bigEndian(2))))
        case UInt8(ascii: "l"): return Int64(Int32(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "L"): return Int64(bitPattern: try bigEndian(8))
        default: throw fail("expected an integer type, found byte \(marker)")
        }
    }

    private mutating func length() throws(InferenceError) -> Int {
        let n = try integer(try byte())
        guard n >= 0, n <= Int64(bytes.count) else { throw fail("invalid length \(n)") }
        return Int(n)
    }

    private mutating func string() throws(InferenceError) -> String {
        let n = try length()
        guard n <= bytes.count - index else { throw fail("string runs past the end") }
        defer { index += n }
        return String(decoding: bytes[index..<index + n], as: UTF8.self)
    }

    private mutating func parseValue() throws(InferenceError) -> ModelDocument {
        try parseValue(marker: try byte())
    }

    private mutating func parseValue(marker: UInt8) throws(InferenceError) -> ModelDocument {
        switch marker {
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"):
            return .int(try integer(marker))
        case UInt8(ascii: "d"): return .float(Float(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "D"): return .double(Double(bitPattern: try bigEndian(8)))
        case UInt8(ascii: "C"): return .string(String(decoding: [try byte()], as: UTF8.self))
        case UInt8(ascii: "S"), UInt8(ascii: "H"): return .string(try string())
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "{"): return try parseObject()
        default: throw fail("unknown type marker \(marker)")
        }
    }

    /// Reads the optional `$type` and `#count` of a container.
    private mutating func containerHeader() throws(InferenceError) -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        var count: Int?
        if index < bytes.count, bytes[index] == UInt8(ascii: "$") {
            index += 1
            type = try byte()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "#") else {
                throw fail("typed container without count")
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
            index += 1
            count = try length()
        }
        return (type, count)
    }

    private mutating func parseArray() throws(InferenceError) -> ModelDocument {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("nested too deeply") }
        let (type, count) = try containerHeader()
        if let type, let count {
            return try typedArray(type: type, count: count)
        }
        var items: [ModelDocument] = []
        if let count {
            for _ in 0..<count { items.append(try parseValue()) }
            return .array(items)
        }
        while true {
            let marker = try byte()
            if marker == UInt8(ascii: "]") { return .array(items) }
            items.append(try parseValue(marker: marker))
        }
    }

    private mutating func typedArray(type: UInt8, count: Int) throws(InferenceError) -> ModelDocument {
        let width: Int
        switch type {
        case UInt8(ascii: "i"), UInt8(ascii: "U"): width = 1
        case UInt8(ascii: "I"): width = 2
        case UInt8(ascii: "l"), UInt8(ascii: "d"): width = 4
        case UInt8(ascii: "L"), UInt8(ascii: "D"): width = 8
        default:
            var items: [ModelDocument] = []
            for _ in 0..<min(count, bytes.count - index) { items.append(try parseValue(marker: type)) }
            guard items.count == count else { throw fail("array runs past the end") }
            return .array(items)
        }
        guard count <= (bytes.count - index) / width else { throw fail("array runs past the end") }
        switch type {
        case UInt8(ascii: "d"):
            var out = [Float](repeating: 0, count: count)
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(try bigEndian(4))) }
            return .floats(out)
        case UInt8(ascii: "D"):
            var out: [ModelDocument] = []
            out.reserveCapacity(count)
            for _ in 0..<count { out.append(.double(Double(bitPattern: try bigEndian(8)))) }
            return .array(out)
        default:
            var out = [Int64](repeating: 0, count: count)
            for i in 0..<count { out[i] = try integer(type) }
            return .ints(out)
        }
    }

    private mutating func parseObject() throws(InferenceError) -> ModelDocument {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("nested too deeply") }
        let (type, count) = try containerHeader()
        var members: [String: ModelDocument] = [:]
        if let count {
            for _ in 0..<count {
                let key = try string()
                if let type {
                    members[key] = try parseValue(marker: type)
                } else {
                    members[key] = try parseValue()
                }
            }
            return .object(members)
        }
        while true {
            guard index < bytes.count else { throw fail("unexpected end of file") }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            let key = try string()
            members[key] = try parseValue()
        }
    }
}
