import Testing

@testable import CairnInference

@Test func binaryOperatorsBroadcastLikeNumPy() throws {
    let a = floats([2, 3], [1, 2, 3, 4, 5, 6])
    let row = floats([3], [10, 20, 30])
    let column = floats([2, 1], [100, 200])
    #expect(tensorOf(try runOperator("Add", inputs: [a, row])[0]) == floats([2, 3], [11, 22, 33, 14, 25, 36]))
    #expect(
        tensorOf(try runOperator("Sub", inputs: [a, column])[0]) == floats([2, 3], [-99, -98, -97, -196, -195, -194]))
    #expect(
        tensorOf(try runOperator("Mul", inputs: [column, row])[0])
            == floats([2, 3], [1000, 2000, 3000, 2000, 4000, 6000]))
    #expect(
        tensorOf(try runOperator("Div", inputs: [a, floats([], [2])])[0]) == floats([2, 3], [0.5, 1, 1.5, 2, 2.5, 3]))
    let ints = Tensor(shape: [2], values: .int64([7, -7]))
    #expect(
        tensorOf(try runOperator("Div", inputs: [ints, Tensor(shape: [1], values: .int64([2]))])[0])?.values
            == .int64([3, -3]))
    #expect(throws: InferenceError.badInput("Add: shapes [2, 3] and [2] cannot be broadcast")) {
        try runOperator("Add", inputs: [a, floats([2], [1, 2])])
    }
}

@Test func activationsMatchTheirFormulas() throws {
    let x = floats([4], [-2, 0, 0.5, 3])
    #expect(tensorOf(try runOperator("Relu", inputs: [x])[0]) == floats([4], [0, 0, 0.5, 3]))
    let s = try floatValues(try runOperator("Sigmoid", inputs: [x])[0])
    let t = try floatValues(try runOperator("Tanh", inputs: [x])[0])
    let expectedSigmoid: [Float] = [0.11920292, 0.5, 0.62245933, 0.95257413]
    let expectedTanh: [Float] = [-0.96402758, 0, 0.46211716, 0.99505475]
    for i in 0..<4 {
        #expect(abs(s[i] - expectedSigmoid[i]) < 1e-6)
        #expect(abs(t[i] - expectedTanh[i]) < 1e-6)
    }
}

@Test func gemmHonoursTransposesAlphaAndBeta() throws {
    let a = floats([2, 2], [1, 2, 3, 4])
    let b = floats([2, 2], [5, 6, 7, 8])
    // alpha·Aᵀ·Bᵀ + beta·C: Aᵀ = [[1,3],[2,4]], Bᵀ = [[5,7],[6,8]] → [[23,31],[34,46]].
    let out = try runOperator(
        "Gemm", attributes: [("transA", .int(1)), ("transB", .int(1)), ("alpha", .float(2)), ("beta", .float(0.5))],
        inputs: [a, b, floats([2], [2, 4])], constants: [1: b])
    #expect(tensorOf(out[0]) == floats([2, 2], [47, 64, 69, 94]))
}

@Test func matMulMultipliesBatchesByAMatrix() throws {
    let a = floats([2, 1, 3], [1, 2, 3, 4, 5, 6])
    let b = floats([3, 2], [1, 0, 0, 1, 1, 1])
    #expect(tensorOf(try runOperator("MatMul", inputs: [a, b])[0]) == floats([2, 1, 2], [4, 5, 10, 11]))
    let d = Tensor(shape: [1, 2], values: .double([1, 2]))
    let e = Tensor(shape: [2, 1], values: .double([3, 4]))
    #expect(tensorOf(try runOperator("MatMul", inputs: [d, e])[0]) == Tensor(shape: [1, 1], values: .double([11])))
}

@Test func softmaxAndArgMaxFollowTheirAxes() throws {
    let x = floats([2, 2], [0, 1.0986123, 1, 1])
    let p = try floatValues(try runOperator("Softmax", opset: 13, inputs: [x])[0])
    for (got, want) in zip(p, [Float(0.25), 0.75, 0.5, 0.5]) { #expect(abs(got - want) < 1e-6) }
    let columns = try runOperator(
        "Softmax", opset: 13, attributes: [("axis", .int(0))], inputs: [floats([2, 1], [0, 0])])
    #expect(tensorOf(columns[0]) == floats([2, 1], [0.5, 0.5]))
    let m = floats([2, 3], [1, 5, 5, 9, 2, 3])
    #expect(
        tensorOf(try runOperator("ArgMax", attributes: [("axis", .int(1))], inputs: [m])[0])
            == Tensor(shape: [2, 1], values: .int64([1, 0])))
    let last = try runOperator(
        "ArgMax", attributes: [("axis", .int(1)), ("keepdims", .int(0)), ("select_last_index", .int(1))], inputs: [m])
    #expect(tensorOf(last[0]) == Tensor(shape: [2], values: .int64([2, 0])))
}

@Test func shapeOperatorsMoveDimensionsNotValues() throws {
    let x = floats([2, 3], [1, 2, 3, 4, 5, 6])
    let shape = Tensor(shape: [2], values: .int64([-1, 2]))
    #expect(tensorOf(try runOperator("Reshape", inputs: [x, shape], constants: [1: shape])[0])?.shape == [3, 2])
    #expect(
        tensorOf(try runOperator("Flatten", inputs: [floats([2, 1, 3], Array(repeating: 1, count: 6))])[0])?.shape == [
            2, 3,
        ])
    let axes = Tensor(shape: [1], values: .int64([1]))
    #expect(tensorOf(try runOperator("Unsqueeze", opset: 13, inputs: [x, axes])[0])?.shape == [2, 1, 3])
    #expect(
        tensorOf(
            try runOperator(
                "Squeeze", opset: 11, attributes: [("axes", .ints([1]))], inputs: [floats([2, 1], [1, 2])])[0])?.shape
            == [2])
    #expect(throws: InferenceError.self) {
        try runOperator("Reshape", inputs: [x, Tensor(shape: [1], values: .int64([4]))])
    }
    let concat = try runOperator(
        "Concat", attributes: [("axis", .int(1))], inputs: [floats([2, 1], [1, 2]), floats([2, 2], [3, 4, 5, 6])])
    #expect(tensorOf(concat[0]) == floats([2, 3], [1, 3, 4, 2, 5, 6]))
    let gathered = try runOperator(
        "Gather", attributes: [("axis", .int(1))], inputs: [x, Tensor(shape: [2], values: .int64([2, -3]))])
    #expect(tensorOf(gathered[0]) == floats([2, 2], [3, 1, 6, 4]))
    #expect(tensorOf(try runOperator("Shape", inputs: [x])[0])?.values == .int64([2, 3]))
}

@Test func castAndReduceSumConvertAndSum() throws {
    let x = floats([2, 2], [1.9, -1.9, 3, 4])
    #expect(
        tensorOf(try runOperator("Cast", attributes: [("to", .int(7))], inputs: [x])[0])?.values
            == .int64([1, -1, 3, 4]))
    #expect(
        tensorOf(try runOperator("Cast", attributes: [("to", .int(11))], inputs: [floats([1], [0.5])])[0])?.values
            == .double([0.5]))
    let axes = Tensor(shape: [1], values: .int64([1]))
    let sum = try runOperator(
        "ReduceSum", opset: 13, inputs: [floats([2, 2], [1, 2, 3, 4]), axes], constants: [1: axes])
    #expect(tensorOf(sum[0]) == floats([2, 1], [3, 7]))
    let all = try runOperator(
        "ReduceSum", opset: 11, attributes: [("keepdims", .int(0))], inputs: [floats([2, 2], [1, 2, 3, 4])])
    #expect(tensorOf(all[0]) == floats([], [10]))
}

@Test func degenerateShapesAreErrorsNotTraps() {
    let scalar = floats([], [1])
    #expect(throws: InferenceError.self) { try runOperator("ArgMax", inputs: [scalar]) }
    #expect(throws: InferenceError.self) {
        try runOperator("ReduceSum", opset: 11, attributes: [("axes", .ints([0]))], inputs: [scalar])
    }
    #expect(throws: InferenceError.self) {
        try runOperator("ArgMax", attributes: [("axis", .int(1))], inputs: [floats([2, 0], [])])
    }
    let huge = Tensor(shape: [3], values: .int64([1 << 40, 1 << 40, -1]))
    #expect(throws: InferenceError.self) { try runOperator("Reshape", inputs: [floats([2], [1, 2]), huge]) }
    #expect(throws: InferenceError.self) {
        try runOperator("Gather", inputs: [scalar, Tensor(shape: [1], values: .int64([0]))])
    }
}
