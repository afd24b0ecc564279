import Testing

@testable import CairnInference

@Test func protoReaderDecodesVarintsAndFixedWords() throws {
    // Field 1 varint 300, field 2 varint -1 (ten bytes), field 3 fixed32 1.5, field 4 packed [1, 150].
    var w = ProtoWriter()
    w.int(1, 300)
    w.int(2, -1)
    w.float(3, 1.5)
    w.packedInts(4, [1, 150])
    #expect(Array(w.bytes.prefix(3)) == [0x08, 0xAC, 0x02])
    var r = ProtoReader(w.bytes)
    var field = try #require(try r.nextField())
    #expect(field.number == 1 && field.wire == .varint)
    #expect(try r.varint() == 300)
    field = try #require(try r.nextField())
    #expect(field.number == 2)
    #expect(try r.int64() == -1)
    field = try #require(try r.nextField())
    #expect(field.number == 3 && field.wire == .fixed32)
    #expect(Float(bitPattern: try r.fixed32()) == 1.5)
    field = try #require(try r.nextField())
    var ints: [Int64] = []
    try r.appendInt64s(field.wire, to: &ints)
    #expect(ints == [1, 150])
    #expect(try r.nextField() == nil)
}

@Test func protoReaderReadsUnpackedRepeatedFloats() throws {
    var w = ProtoWriter()
    w.float(7, 0.25)
    w.float(7, -2)
    var r = ProtoReader(w.bytes)
    var values: [Float] = []
    while let (_, wire) = try r.nextField() { try r.appendFloats(wire, to: &values) }
    #expect(values == [0.25, -2])
}

@Test(arguments: [
    [UInt8]([0x08]),  // key without its varint
    [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],  // varint of 11 bytes
    [0x12, 0x05, 0x01],  // length past the end
    [0x0B],  // wire type 3 (groups)
    [0x1D, 0x00, 0x00],  // truncated fixed32
])
func protoReaderRefusesMalformedBytes(bytes: [UInt8]) {
    #expect(throws: InferenceError.self) {
        var r = ProtoReader(bytes)
        while let (_, wire) = try r.nextField() { try r.skip(wire) }
    }
}

/// A model computing `Y = Relu(X · W + B)` with a 2 × 2 weight matrix.
func gemmReluModel(raw: Bool = false) -> ONNXBuilder {
    var b = ONNXBuilder()
    b.nodes = [
        .init(op: "Gemm", inputs: ["X", "W", "B"], outputs: ["H"]),
        .init(op: "Relu", inputs: ["H"], outputs: ["Y"]),
    ]
    b.initializers = [("W", floats([2, 2], [1, 2, 3, 4])), ("B", floats([2], [0.5, -10]))]
    b.inputs = [("X", 1, [-1, 2])]
    b.outputs = ["Y"]
    b.rawFloats = raw
    return b
}

@Test(arguments: [false, true])
func modelDecodesAndRunsAGraph(raw: Bool) throws {
    let model = try ONNXModel(bytes: gemmReluModel(raw: raw).encode())
    #expect(model.inputNames == nil)
    #expect(model.inputCount == 2)
    let out = try model.predict(Table(columns: [("a", .double([1, 0])), ("b", .double([1, 2]))]))
    // Row 1: [1+3+0.5, 2+4-10] = [4.5, -4] → Relu → [4.5, 0]; row 2: [6.5, 8-10] → [6.5, 0].
    #expect(out == .records([("Y", .values(floats([4], [4.5, 0, 6.5, 0])))]))
}

@Test func everyTruncationOfAModelIsAClearErrorNotACrash() {
    let bytes = gemmReluModel().encode()
    for length in 0..<bytes.count {
        do {
            _ = try ONNXModel(bytes: Array(bytes.prefix(length)))
        } catch {
            if case .unsupported(let message) = error { #expect(!message.isEmpty) } else { Issue.record("\(error)") }
            continue
        }
        // A prefix can end on a field boundary and still be a complete (smaller) model; it must then run.
    }
    var flipped = bytes
    for i in stride(from: 0, to: flipped.count, by: 7) {
        flipped[i] ^= 0xFF
        _ = try? ONNXModel(bytes: flipped)
    }
}

@Test func unsupportedOperatorIsNamedAtLoad() {
    var b = gemmReluModel()
    b.nodes.append(.init(op: "Einsum", inputs: ["Y"], outputs: ["Z"]))
    #expect(
        throws: InferenceError.unsupported(
            "ONNX operator Einsum (domain ai.onnx) is not supported by the native runtime")
    ) {
        try ONNXModel(bytes: b.encode())
    }
}

@Test func unsupportedDomainAndOpsetAreNamed() {
    var b = gemmReluModel()
    b.opsets = [("", 99)]
    #expect(throws: InferenceError.unsupported("ONNX opset 99 of domain 'ai.onnx' is newer than the supported 23")) {
        try ONNXModel(bytes: b.encode())
    }
    b = gemmReluModel()
    b.opsets.append(("com.microsoft", 1))
    b.nodes.append(.init(op: "FusedGemm", domain: "com.microsoft", inputs: ["Y"], outputs: ["Z"]))
    #expect(throws: InferenceError.unsupported("ONNX domain 'com.microsoft' (operator FusedGemm) is not supported")) {
        try ONNXModel(bytes: b.encode())
    }
}

@Test func nodeReadingAnUnknownValueIsRefused() {
    var b = gemmReluModel()
    b.nodes[1].inputs = ["nowhere"]
    #expect(throws: InferenceError.self) { try ONNXModel(bytes: b.encode()) }
}

@Test func nativeFlavorLoadsONNXFromTheDataFile() throws {
    let bytes = gemmReluModel().encode()
    let model = try NativeFlavor.load(flavor: "onnx", settings: ["data": "model.onnx"]) { path in
        #expect(path == "model.onnx")
        return bytes
    }
    #expect(model.flavor == "onnx")
}
