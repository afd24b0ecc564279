@testable import CairnInference

/// A small protocol-buffer writer for building ONNX files in tests.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: Int, _ wire: UInt8) { varint(UInt64(field) << 3 | UInt64(wire)) }

    mutating func int(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        tag(field, 5)
        for i in 0..<4 { bytes.append(UInt8((value.bitPattern >> (8 * UInt32(i))) & 0xFF)) }
    }

    mutating func bytes(_ field: Int, _ payload: [UInt8]) {
        tag(field, 2)
        varint(UInt64(payload.count))
        bytes += payload
    }

    mutating func string(_ field: Int, _ text: String) { bytes(field, Array(text.utf8)) }

    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }

    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        var inner = ProtoWriter()
        for v in values { for i in 0..<4 { inner.bytes.append(UInt8((v.bitPattern >> (8 * UInt32(i))) & 0xFF)) } }
        bytes(field, inner.bytes)
    }

    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var inner = ProtoWriter()
        for v in values { inner.varint(UInt64(bitPattern: v)) }
        bytes(field, inner.bytes)
    }
}

/// An attribute value for ``ONNXBuilder``.
enum TestAttribute {
    case int(Int64), float(Float), string(String), ints([Int64]), floats([Float]), strings([String])
}

/// Builds ONNX model bytes from nodes, initializers and typed inputs/outputs.
struct ONNXBuilder {
    struct Node {
        var op: String
        var domain = ""
        var inputs: [String]
        var outputs: [String]
        var attributes: [(String, TestAttribute)] = []
    }

    var nodes: [Node] = []
    var initializers: [(String, Tensor)] = []
    /// (name, element type code, shape; -1 for a symbolic dimension).
    var inputs: [(String, Int, [Int64])] = []
    var outputs: [String] = []
    var opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)]
    /// Write float initializers as raw little-endian bytes instead of `float_data`.
    var rawFloats = false

    func encode() -> [UInt8] {
        var w = ProtoWriter()
        w.int(1, 8)
        for (domain, version) in opsets {
            w.message(8) { o in
                o.string(1, domain)
                o.int(2, version)
            }
        }
        w.message(7) { g in
            for node in nodes {
                g.message(1) { n in
                    for i in node.inputs { n.string(1, i) }
                    for o in node.outputs { n.string(2, o) }
                    n.string(3, node.op + "_0")
                    n.string(4, node.op)
                    n.string(7, node.domain)
                    for (name, value) in node.attributes { n.message(5) { a in Self.attribute(&a, name, value) } }
                }
            }
            for (name, tensor) in initializers { g.message(5) { t in Self.tensor(&t, name, tensor, raw: rawFloats) } }
            for (name, type, shape) in inputs { g.message(11) { v in Self.valueInfo(&v, name, type, shape) } }
            for name in outputs { g.message(12) { v in v.string(1, name) } }
        }
        return w.bytes
    }

    static func attribute(_ a: inout ProtoWriter, _ name: String, _ value: TestAttribute) {
        a.string(1, name)
        switch value {
        case .int(let v): a.int(3, v)
        case .float(let v): a.float(2, v)
        case .string(let v): a.string(4, v)
        case .ints(let v): a.packedInts(8, v)
        case .floats(let v): a.packedFloats(7, v)
        case .strings(let v): for s in v { a.string(9, s) }
        }
    }

    static func tensor(_ t: inout ProtoWriter, _ name: String, _ tensor: Tensor, raw: Bool) {
        for d in tensor.shape { t.int(1, Int64(d)) }
        switch tensor.values {
        case .float(let v):
            t.int(2, 1)
            if raw {
                var r = ProtoWriter()
                for x in v { for i in 0..<4 { r.bytes.append(UInt8((x.bitPattern >> (8 * UInt32(i))) & 0xFF)) } }
                t.bytes(9, r.bytes)
            } else {
                t.packedFloats(4, v)
            }
        case .int64(let v):
            t.int(2, 7)
            t.packedInts(7, v)
        case .string(let v):
            t.int(2, 8)
            for s in v { t.string(6, s) }
        case .double, .bool:
            break
        }
        t.string(8, name)
    }

    static func valueInfo(_ v: inout ProtoWriter, _ name: String, _ type: Int, _ shape: [Int64]) {
        v.string(1, name)
        v.message(2) { tp in
            tp.message(1) { tt in
                tt.int(1, Int64(type))
                tt.message(2) { s in
                    for d in shape {
                        s.message(1) { dim in
                            if d >= 0 { dim.int(1, d) } else { dim.string(2, "N") }
                        }
                    }
                }
            }
        }
    }
}

/// Runs one operator kernel directly on `inputs` (constants by input position are passed to the
/// factory as an initializer would be).
func runOperator(
    _ op: String, domain: String = "", opset: Int = 17, attributes: [(String, TestAttribute)] = [],
    inputs: [Tensor], constants: [Int: Tensor] = [:], outputs: Int = 1
) throws -> [ONNXValue] {
    var node = ONNXNodeProto(
        opType: op, domain: domain, inputs: inputs.indices.map { "in\($0)" }, outputs: (0..<outputs).map { "out\($0)" })
    for (name, value) in attributes {
        var a = ONNXAttribute(name: name)
        switch value {
        case .int(let v): a.int = v
        case .float(let v): a.float = v
        case .string(let v): a.string = v
        case .ints(let v): a.ints = v
        case .floats(let v): a.floats = v
        case .strings(let v): a.strings = v
        }
        node.attributes[name] = a
    }
    let kernel = try ONNXOperators.kernel(for: ONNXNodeContext(node: node, opset: opset, constants: constants))
    return try kernel.run(inputs.map { .tensor($0) })
}

/// The tensor of an operator result, or a failed expectation.
func tensorOf(_ value: ONNXValue) -> Tensor? {
    if case .tensor(let t) = value { return t }
    return nil
}

/// A float tensor.
func floats(_ shape: [Int], _ values: [Float]) -> Tensor { Tensor(shape: shape, values: .float(values)) }

/// The values of a float tensor result.
func floatValues(_ value: ONNXValue) throws -> [Float] {
    guard case .tensor(let t) = value else { throw InferenceError.badInput("not a tensor") }
    return try t.values.floats("test")
}
