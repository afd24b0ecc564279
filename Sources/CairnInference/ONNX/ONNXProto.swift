/// The parts of an ONNX `ModelProto` the interpreter reads, decoded from the wire format by field
/// number (ModelProto: 1 ir_version, 7 graph, 8 opset_import).
struct ONNXModelProto {
    /// The IR version the file declares.
    var irVersion: Int64 = 0
    /// Operator set version per domain (`""` and `ai.onnx` are the same domain).
    var opsets: [String: Int] = [:]
    /// The main graph.
    var graph = ONNXGraphProto()

    /// Decodes a model from the bytes of a `.onnx` file.
    init(bytes: [UInt8]) throws(InferenceError) {
        var reader = ProtoReader(bytes)
        var sawGraph = false
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1:
                try ProtoReader.expect(wire, .varint, "ir_version")
                irVersion = try reader.int64()
            case 7:
                try ProtoReader.expect(wire, .lengthDelimited, "graph")
                var sub = try reader.message()
                graph = try ONNXGraphProto(&sub)
                sawGraph = true
            case 8:
                try ProtoReader.expect(wire, .lengthDelimited, "opset_import")
                var sub = try reader.message()
                var domain = ""
                var version: Int64 = 0
                while let (f, w) = try sub.nextField() {
                    switch f {
                    case 1: domain = try sub.string()
                    case 2:
                        try ProtoReader.expect(w, .varint, "opset version")
                        version = try sub.int64()
                    default: try sub.skip(w)
                    }
                }
                let key = domain == "ai.onnx" ? "" : domain
                opsets[key] = max(opsets[key] ?? 0, Int(clamping: version))
            default: try reader.skip(wire)
            }
        }
        guard sawGraph else { throw .unsupported("ONNX model has no graph") }
    }
}

/// A decoded `GraphProto` (1 node, 5 initializer, 11 input, 12 output).
struct ONNXGraphProto {
    /// Nodes in stored (topological) order.
    var nodes: [ONNXNodeProto] = []
    /// Constant tensors by name.
    var initializers: [(String, Tensor)] = []
    /// Declared inputs (initializers may be listed here too).
    var inputs: [ONNXValueInfo] = []
    /// Declared outputs, in order.
    var outputs: [ONNXValueInfo] = []

    init() {}

    init(_ reader: inout ProtoReader) throws(InferenceError) {
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1, 5, 11, 12:
                try ProtoReader.expect(wire, .lengthDelimited, "graph field \(field)")
                var sub = try reader.message()
                switch field {
                case 1: nodes.append(try ONNXNodeProto(&sub))
                case 5: initializers.append(try TensorProtoDecoder.decode(&sub))
                case 11: inputs.append(try ONNXValueInfo(&sub))
                default: outputs.append(try ONNXValueInfo(&sub))
                }
            case 15: throw .unsupported("ONNX sparse initializers are not supported")
            default: try reader.skip(wire)
            }
        }
    }
}

/// A decoded `NodeProto` (1 input, 2 output, 3 name, 4 op_type, 5 attribute, 7 domain).
struct ONNXNodeProto {
    var inputs: [String] = []
    var outputs: [String] = []
    var name = ""
    var opType = ""
    var domain = ""
    var attributes: [String: ONNXAttribute] = [:]

    init(opType: String, domain: String = "", inputs: [String], outputs: [String]) {
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
    }

    init(_ reader: inout ProtoReader) throws(InferenceError) {
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1, 2, 3, 4, 7:
                try ProtoReader.expect(wire, .lengthDelimited, "node field \(field)")
                let text = try reader.string()
                switch field {
                case 1: inputs.append(text)
                case 2: outputs.append(text)
                case 3: name = text
                case 4: opType = text
                default: domain = text == "ai.onnx" ? "" : text
                }
            case 5:
                try ProtoReader.expect(wire, .lengthDelimited, "attribute")
                var sub = try reader.message()
                let attribute = try ONNXAttribute(&sub)
                attributes[attribute.name] = attribute
            default: try reader.skip(wire)
            }
        }
    }

    /// The operator as `domain.op` for messages.
    var qualifiedName: String { domain.isEmpty ? opType : "\(domain).\(opType)" }
}

/// A decoded `AttributeProto` (1 name, 2 f, 3 i, 4 s, 5 t, 7 floats, 8 ints, 9 strings, 20 type).
struct ONNXAttribute {
    var name = ""
    var float: Float?
    var int: Int64?
    var string: String?
    var tensor: Tensor?
    var floats: [Float] = []
    var ints: [Int64] = []
    var strings: [String] = []

    init(name: String) { self.name = name }

    init(_ reader: inout ProtoReader) throws(InferenceError) {
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1: name = try reader.string()
            case 2:
                try ProtoReader.expect(wire, .fixed32, "attribute f")
                float = Float(bitPattern: try reader.fixed32())
            case 3:
                try ProtoReader.expect(wire, .varint, "attribute i")
                int = try reader.int64()
            case 4: string = try reader.string()
            case 5:
                try ProtoReader.expect(wire, .lengthDelimited, "attribute t")
                var sub = try reader.message()
                tensor = try TensorProtoDecoder.decode(&sub).1
            case 7: try reader.appendFloats(wire, to: &floats)
            case 8: try reader.appendInts(wire, to: &ints)
            case 9:
                try ProtoReader.expect(wire, .lengthDelimited, "attribute strings")
                strings.append(try reader.string())
            default: try reader.skip(wire)
            }
        }
    }
}

extension ProtoReader {
    /// Same as ``appendInt64s(_:to:)``; reads better at attribute call sites.
    mutating func appendInts(_ wire: WireType, to values: inout [Int64]) throws(InferenceError) {
        try appendInt64s(wire, to: &values)
    }
}

/// A decoded `ValueInfoProto`: a name and, for tensors, the element type and shape
/// (TypeProto 1 tensor_type → 1 elem_type, 2 shape → 1 dim → 1 dim_value, 2 dim_param).
struct ONNXValueInfo {
    var name = ""
    /// `TensorProto.DataType` code, 0 when the value is not a tensor.
    var elementType = 0
    /// Dimensions; nil entries are symbolic or unknown.
    var shape: [Int?]?
    /// True when the value is a sequence or map rather than a tensor.
    var isTensor = false

    init(name: String, elementType: Int, shape: [Int?]?) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        isTensor = true
    }

    init(_ reader: inout ProtoReader) throws(InferenceError) {
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1: name = try reader.string()
            case 2:
                try ProtoReader.expect(wire, .lengthDelimited, "value type")
                var type = try reader.message()
                while let (f, w) = try type.nextField() {
                    guard f == 1 else {
                        try type.skip(w)
                        continue
                    }
                    try ProtoReader.expect(w, .lengthDelimited, "tensor_type")
                    isTensor = true
                    var tensorType = try type.message()
                    try readTensorType(&tensorType)
                }
            default: try reader.skip(wire)
            }
        }
    }

    private mutating func readTensorType(_ reader: inout ProtoReader) throws(InferenceError) {
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1:
                try ProtoReader.expect(wire, .varint, "elem_type")
                elementType = Int(clamping: try reader.int64())
            case 2:
                try ProtoReader.expect(wire, .lengthDelimited, "shape")
                var shapeReader = try reader.message()
                var dims: [Int?] = []
                while let (f, w) = try shapeReader.nextField() {
                    guard f == 1 else {
                        try shapeReader.skip(w)
                        continue
                    }
                    try ProtoReader.expect(w, .lengthDelimited, "dim")
                    var dim = try shapeReader.message()
                    var value: Int?
                    while let (df, dw) = try dim.nextField() {
                        if df == 1, dw == .varint {
                            let v = try dim.int64()
                            value = v > 0 ? Int(clamping: v) : nil
                        } else {
                            try dim.skip(dw)
                        }
                    }
                    dims.append(value)
                }
                shape = dims
            default: try reader.skip(wire)
            }
        }
    }
}
