/// Decodes an ONNX `TensorProto` (1 dims, 2 data_type, 4 float_data, 5 int32_data, 6 string_data,
/// 7 int64_data, 8 name, 9 raw_data, 10 double_data, 11 uint64_data, 14 data_location) into a
/// ``Tensor``. Integer types of any width become `int64`; raw data is little-endian.
enum TensorProtoDecoder {
    /// `TensorProto.DataType` codes the interpreter handles.
    enum DataType: Int {
        case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8, bool = 9
        case double = 11, uint32 = 12, uint64 = 13

        /// Bytes per element in `raw_data` (strings never come raw).
        var width: Int {
            switch self {
            case .uint8, .int8, .bool: 1
            case .uint16, .int16: 2
            case .float, .int32, .uint32: 4
            case .int64, .double, .uint64: 8
            case .string: 0
            }
        }
    }

    /// Reads one `TensorProto` message; returns its name and value.
    static func decode(_ reader: inout ProtoReader) throws(InferenceError) -> (String, Tensor) {
        var dims: [Int64] = []
        var typeCode: Int64 = 0
        var name = ""
        var floats: [Float] = []
        var doubles: [Double] = []
        var ints: [Int64] = []
        var strings: [String] = []
        var raw: ArraySlice<UInt8>?
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1: try reader.appendInt64s(wire, to: &dims)
            case 2:
                try ProtoReader.expect(wire, .varint, "data_type")
                typeCode = try reader.int64()
            case 4: try reader.appendFloats(wire, to: &floats)
            case 5, 7, 11: try reader.appendInt64s(wire, to: &ints)
            case 6:
                try ProtoReader.expect(wire, .lengthDelimited, "string_data")
                strings.append(try reader.string())
            case 8: name = try reader.string()
            case 9:
                try ProtoReader.expect(wire, .lengthDelimited, "raw_data")
                raw = try reader.data()
            case 10: try reader.appendDoubles(wire, to: &doubles)
            case 14:
                try ProtoReader.expect(wire, .varint, "data_location")
                if try reader.int64() != 0 {
                    throw .unsupported("ONNX tensor '\(name)' keeps its data in an external file")
                }
            default: try reader.skip(wire)
            }
        }
        guard let type = DataType(rawValue: Int(clamping: typeCode)) else {
            throw .unsupported("ONNX tensor '\(name)' has unsupported data type \(typeCode)")
        }
        guard dims.allSatisfy({ $0 >= 0 && $0 < 1 << 40 }) else {
            throw .unsupported("ONNX tensor '\(name)' has invalid dimensions \(dims)")
        }
        let shape = dims.map { Int($0) }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        let values: Tensor.Values
        if let raw {
            guard type != .string else { throw .unsupported("ONNX string tensor '\(name)' has raw data") }
            guard raw.count == count * type.width else {
                throw .unsupported("ONNX tensor '\(name)' has \(raw.count) bytes of data for \(count) elements")
            }
            values = decodeRaw(raw, type: type, count: count)
        } else {
            switch type {
            case .float: values = .float(floats)
            case .double: values = .double(doubles)
            case .string: values = .string(strings)
            case .bool: values = .bool(ints.map { $0 != 0 })
            case .uint64: values = .int64(ints)
            case .uint32: values = .int64(ints.map { $0 & 0xFFFF_FFFF })
            default: values = .int64(ints)
            }
            guard values.count == count else {
                throw .unsupported("ONNX tensor '\(name)' has \(values.count) values for shape \(shape)")
            }
        }
        return (name, Tensor(shape: shape, values: values))
    }

    private static func decodeRaw(_ raw: ArraySlice<UInt8>, type: DataType, count: Int) -> Tensor.Values {
        raw.withUnsafeBytes { buffer in
            func load<T>(_: T.Type, _ i: Int) -> T {
                buffer.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)
            }
            switch type {
            case .float:
                return .float((0..<count).map { Float(bitPattern: UInt32(littleEndian: load(UInt32.self, $0))) })
            case .double:
                return .double((0..<count).map { Double(bitPattern: UInt64(littleEndian: load(UInt64.self, $0))) })
            case .int64, .uint64: return .int64((0..<count).map { Int64(littleEndian: load(Int64.self, $0)) })
            case .int32: return .int64((0..<count).map { Int64(Int32(littleEndian: load(Int32.self, $0))) })
            case .uint32: return .int64((0..<count).map { Int64(UInt32(littleEndian: load(UInt32.self, $0))) })
            case .int16: return .int64((0..<count).map { Int64(Int16(littleEndian: load(Int16.self, $0))) })
            case .uint16: return .int64((0..<count).map { Int64(UInt16(littleEndian: load(UInt16.self, $0))) })
            case .int8: return .int64((0..<count).map { Int64(load(Int8.self, $0)) })
            case .uint8: return .int64((0..<count).map { Int64(load(UInt8.self, $0)) })
            case .bool: return .bool((0..<count).map { load(UInt8.self, $0) != 0 })
            case .string: return .string([])
            }
        }
    }
}
