/// A reader over protocol-buffer wire-format bytes: varints, fixed 32/64-bit words and
/// length-delimited fields, including packed repeated scalars. Every read is bounds-checked and a
/// malformed byte stream throws ``InferenceError/unsupported(_:)``; it never traps.
struct ProtoReader {
    /// How a field's value is encoded on the wire.
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    /// A reader over `bytes[range]` (the whole array by default).
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let range = range ?? 0..<bytes.count
        position = range.lowerBound
        end = range.upperBound
    }

    /// True when every byte has been read.
    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type, or nil at the end.
    mutating func nextField() throws(InferenceError) -> (number: Int, wire: WireType)? {
        if isAtEnd { return nil }
        let key = try varint()
        guard let wire = WireType(rawValue: UInt8(key & 7)) else {
            throw Self.malformed("unsupported wire type \(key & 7)")
        }
        let number = key >> 3
        guard number > 0, number < 1 << 29 else { throw Self.malformed("field number \(number)") }
        return (Int(number), wire)
    }

    /// Reads a base-128 varint.
    mutating func varint() throws(InferenceError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw Self.malformed("truncated varint") }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw Self.malformed("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw Self.malformed("varint longer than 10 bytes") }
        }
    }

    /// Reads a varint as a two's-complement signed 64-bit integer (`int64`, `int32`, `enum`).
    mutating func int64() throws(InferenceError) -> Int64 {
        Int64(bitPattern: try varint())
    }

    /// Reads a little-endian 32-bit word.
    mutating func fixed32() throws(InferenceError) -> UInt32 {
        guard end - position >= 4 else { throw Self.malformed("truncated fixed32") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    /// Reads a little-endian 64-bit word.
    mutating func fixed64() throws(InferenceError) -> UInt64 {
        guard end - position >= 8 else { throw Self.malformed("truncated fixed64") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    /// Reads a length prefix and returns the byte range of the field's payload, skipping past it.
    mutating func lengthDelimited() throws(InferenceError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Self.malformed("length \(length) past the end") }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// A reader over the next length-delimited field (an embedded message).
    mutating func message() throws(InferenceError) -> ProtoReader {
        ProtoReader(bytes, range: try lengthDelimited())
    }

    /// The next length-delimited field as UTF-8 text.
    mutating func string() throws(InferenceError) -> String {
        String(decoding: bytes[try lengthDelimited()], as: UTF8.self)
    }

    /// The next length-delimited field's bytes.
    mutating func data() throws(InferenceError) -> ArraySlice<UInt8> {
        bytes[try lengthDelimited()]
    }

    /// Skips a field of the given wire type.
    mutating func skip(_ wire: WireType) throws(InferenceError) {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        }
    }

    /// Appends a repeated varint field's values, packed or not, to `values`.
    mutating func appendInt64s(_ wire: WireType, to values: inout [Int64]) throws(InferenceError) {
        switch wire {
        case .varint: values.append(try int64())
        case .lengthDelimited:
            var packed = try message()
            while !packed.isAtEnd { values.append(try packed.int64()) }
        default: throw Self.malformed("integer field with wire type \(wire)")
        }
    }

    /// Appends a repeated `float` field's values, packed or not, to `values`.
    mutating func appendFloats(_ wire: WireType, to values: inout [Float]) throws(InferenceError) {
        switch wire {
        case .fixed32: values.append(Float(bitPattern: try fixed32()))
        case .lengthDelimited:
            var packed = try message()
            while !packed.isAtEnd { values.append(Float(bitPattern: try packed.fixed32())) }
        default: throw Self.malformed("float field with wire type \(wire)")
        }
    }

    /// Appends a repeated `double` field's values, packed or not, to `values`.
    mutating func appendDoubles(_ wire: WireType, to values: inout [Double]) throws(InferenceError) {
        switch wire {
        case .fixed64: values.append(Double(bitPattern: try fixed64()))
        case .lengthDelimited:
            var packed = try message()
            while !packed.isAtEnd { values.append(Double(bitPattern: try packed.fixed64())) }
        default: throw Self.malformed("double field with wire type \(wire)")
        }
    }

    /// Checks that a field has the wire type its schema gives it.
    static func expect(_ wire: WireType, _ expected: WireType, _ what: String) throws(InferenceError) {
        if wire != expected { throw malformed("\(what) has wire type \(wire.rawValue), expected \(expected.rawValue)") }
    }

    /// The error for bytes that are not a valid ONNX protobuf.
    static func malformed(_ detail: String) -> InferenceError {
        .unsupported("ONNX model is not a valid protobuf (\(detail))")
    }
}
