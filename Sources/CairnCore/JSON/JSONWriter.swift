/// Appends JSON text to a byte buffer without building intermediate values.
///
/// Doubles follow the MLflow wire rule: NaN and ±Infinity are written as the strings
/// `"NaN"`, `"Infinity"` and `"-Infinity"`.
///
/// ```swift
/// var w = JSONWriter()
/// w.object { w in
///     w.field("experiment_id", "1")
///     w.field("start_time", Int64(1_700_000_000_000))
/// }
/// // w.bytes == Array(#"{"experiment_id":"1","start_time":1700000000000}"#.utf8)
/// ```
public struct JSONWriter: Sendable {
    /// The JSON text written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// Creates an empty writer, optionally reserving capacity.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Writes a JSON object; `body` writes its fields.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes a JSON array; `body` writes its elements.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a key of an object; the next written value belongs to it.
    public mutating func key(_ key: String) {
        separator()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func value(_ s: String) {
        separator()
        appendQuoted(s)
    }

    /// Writes an integer value.
    public mutating func value(_ i: Int64) {
        separator()
        appendDigits(i)
    }

    /// Appends the decimal digits of `i` without allocating a string.
    private mutating func appendDigits(_ i: Int64) {
        if i == Int64.min {
            bytes.append(contentsOf: "-9223372036854775808".utf8)
            return
        }
        var n = i
        if n < 0 {
            bytes.append(UInt8(ascii: "-"))
            n = -n
        }
        // Digits are written from the end of a stack buffer, then appended in one call.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            } while n > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Writes an integer value.
    public mutating func value(_ i: Int) { value(Int64(i)) }

    /// Writes a boolean value.
    public mutating func value(_ b: Bool) {
        separator()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    /// Writes a double, NaN and infinities as strings.
    public mutating func value(_ d: Double) {
        separator()
        if d.isNaN {
            bytes.append(contentsOf: #""NaN""#.utf8)
        } else if d.isInfinite {
            bytes.append(contentsOf: (d > 0 ? #""Infinity""# : #""-Infinity""#).utf8)
        } else {
            // The standard library's shortest round-trip text (as `String(d)`), streamed into the buffer.
            var sink = ByteSink()
            swap(&sink.bytes, &bytes)
            d.write(to: &sink)
            swap(&sink.bytes, &bytes)
        }
    }

    /// Ends a JSON Lines record: appends a newline; the next value starts a new document.
    public mutating func endLine() {
        bytes.append(UInt8(ascii: "\n"))
        needsComma = false
    }

    /// Writes an already-serialised JSON fragment verbatim.
    public mutating func raw(_ json: String) {
        separator()
        bytes.append(contentsOf: json.utf8)
    }

    /// Writes `"key": value` for a string.
    public mutating func field(_ k: String, _ v: String) {
        key(k)
        value(v)
    }

    /// Writes `"key": value` when the string is present; omits the field otherwise.
    public mutating func field(_ k: String, _ v: String?) {
        if let v { field(k, v) }
    }

    /// Writes `"key": value` for an integer.
    public mutating func field(_ k: String, _ v: Int64) {
        key(k)
        value(v)
    }

    /// Writes `"key": value` when the integer is present.
    public mutating func field(_ k: String, _ v: Int64?) {
        if let v { field(k, v) }
    }

    /// Writes `"key": value` for a double.
    public mutating func field(_ k: String, _ v: Double) {
        key(k)
        value(v)
    }

    /// Writes `"key": value` for a boolean.
    public mutating func field(_ k: String, _ v: Bool) {
        key(k)
        value(v)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (keys, ids, numbers as text) need no escaping: copy them in one call.
        let copied: Bool? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            for c in utf8 where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                bytes.append(Self.hex[Int(c >> 4)])
                bytes.append(Self.hex[Int(c & 0xF)])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Takes the text a number writes of itself straight into a byte buffer, without a `String`.
private struct ByteSink: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}

/// A value that can write itself as JSON in the MLflow wire format.
public protocol JSONWritable {
    /// Writes this value (usually an object) to `writer`.
    func write(to writer: inout JSONWriter)
}

extension JSONWriter {
    /// Writes `"key": [elements...]`; inlinable so that callers get a loop specialised to the element type.
    @inlinable
    public mutating func field<T: JSONWritable>(_ k: String, _ items: [T]) {
        key(k)
        array { w in
            for item in items { item.write(to: &w) }
        }
    }

    /// Writes `"key": {...}` for a nested value.
    public mutating func field<T: JSONWritable>(_ k: String, _ item: T) {
        key(k)
        item.write(to: &self)
    }

    /// Serialises a writable value to bytes.
    public static func encode<T: JSONWritable>(_ item: T) -> [UInt8] {
        var w = JSONWriter()
        item.write(to: &w)
        return w.bytes
    }
}
