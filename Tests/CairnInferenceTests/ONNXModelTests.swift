import Testing

@testable import CairnInference

/// A classifier graph: LinearClassifier → (label, ZipMap of probabilities).
private func classifierModel() -> ONNXBuilder {
    var b = ONNXBuilder()
    b.nodes = [
        .init(
            op: "LinearClassifier", domain: "ai.onnx.ml", inputs: ["X"], outputs: ["label", "scores"],
            attributes: [
                ("coefficients", .floats([1, -1, -1, 1])), ("intercepts", .floats([0, 0])),
                ("classlabels_ints", .ints([10, 20])), ("post_transform", .string("SOFTMAX")),
            ]),
        .init(
            op: "ZipMap", domain: "ai.onnx.ml", inputs: ["scores"], outputs: ["output_probability"],
            attributes: [("classlabels_int64s", .ints([10, 20]))]),
    ]
    b.inputs = [("X", 1, [-1, 2])]
    b.outputs = ["label", "output_probability"]
    return b
}

@Test func classifierReturnsALabelColumnAndAMapColumn() throws {
    let model = try ONNXModel(bytes: classifierModel().encode())
    let out = try model.predict(Table(columns: [("a", .double([1, 0])), ("b", .int64([1, 2]))]))
    guard case .records(let columns) = out, columns.count == 2 else {
        Issue.record("expected two columns, got \(out)")
        return
    }
    #expect(columns[0].name == "label")
    #expect(columns[0].column == .values(Tensor(shape: [2], values: .int64([10, 20]))))
    guard case .maps(let labels, let p) = columns[1].column else {
        Issue.record("probabilities are not maps")
        return
    }
    #expect(labels == .int64([10, 20]))
    #expect(p.count == 4 && p[0] == 0.5 && p[1] == 0.5 && p[3] > 0.98)
}

@Test func severalInputsAreFedByColumnName() throws {
    var b = ONNXBuilder()
    b.nodes = [
        .init(op: "Cast", inputs: ["n"], outputs: ["nf"], attributes: [("to", .int(1))]),
        .init(op: "Concat", inputs: ["x", "nf"], outputs: ["y"], attributes: [("axis", .int(1))]),
    ]
    b.inputs = [("x", 1, [-1, 1]), ("n", 7, [-1, 1])]
    b.outputs = ["y"]
    let model = try ONNXModel(bytes: b.encode())
    #expect(model.inputNames == ["x", "n"])
    let out = try model.predict(Table(columns: [("n", .int64([3, 4])), ("x", .double([0.5, 1.5]))]))
    #expect(out == .records([("y", .values(floats([4], [0.5, 3, 1.5, 4])))]))
    #expect(throws: InferenceError.badInput("the model expects an input column named 'x'")) {
        try model.predict(Table(columns: [("n", .int64([3]))]))
    }
}

@Test func wrongColumnCountAndTypesAreClientErrors() throws {
    let model = try ONNXModel(bytes: gemmReluModel().encode())
    #expect(throws: InferenceError.badInput("the model expects 2 input columns, got 1")) {
        try model.predict(Table(columns: [("a", .double([1]))]))
    }
    #expect(throws: InferenceError.badInput("input 'X' is numeric but the column holds strings")) {
        try model.predict(Table(columns: [("a", .double([1])), ("b", .string(["x"]))]))
    }
}

@Test func outputsOfDifferentLengthsAreRefusedAsPyfuncDoes() throws {
    var b = ONNXBuilder()
    b.nodes = [
        .init(op: "Identity", inputs: ["X"], outputs: ["all"]),
        .init(op: "ArgMax", inputs: ["X"], outputs: ["best"], attributes: [("axis", .int(1))]),
    ]
    b.inputs = [("X", 1, [-1, 2])]
    b.outputs = ["all", "best"]
    let model = try ONNXModel(bytes: b.encode())
    #expect(throws: InferenceError.self) {
        try model.predict(Table(columns: [("a", .double([1])), ("b", .double([2]))]))
    }
}

@Test func largeBatchesSplitAcrossCoresGiveTheSameRows() throws {
    let model = try ONNXModel(bytes: gemmReluModel().encode())
    #expect(model.program.isRowWise)
    let rows = 3 * ONNXModel.minimumRowsPerChunk + 17
    let a = (0..<rows).map { Double($0 % 13) - 6 }
    let b = (0..<rows).map { Double($0 % 7) * 0.5 }
    let out = try model.predict(Table(columns: [("a", .double(a)), ("b", .double(b))]))
    guard case .records(let columns) = out, case .values(let t) = columns[0].column, case .float(let y) = t.values
    else {
        Issue.record("unexpected output \(out)")
        return
    }
    #expect(y.count == 2 * rows)
    for r in stride(from: 0, to: rows, by: 97) {
        let (x0, x1) = (Float(a[r]), Float(b[r]))
        #expect(y[2 * r] == max(0, x0 * 1 + x1 * 3 + 0.5))
        #expect(y[2 * r + 1] == max(0, x0 * 2 + x1 * 4 - 10))
    }
}
