import Testing

@testable import CairnInference

@Test func scalerNormalizerImputerAndBinarizer() throws {
    let x = floats([2, 2], [1, 2, 3, .nan])
    let scaled = try runOperator(
        "Scaler", domain: "ai.onnx.ml", attributes: [("offset", .floats([1, 2])), ("scale", .floats([2, 0.5]))],
        inputs: [floats([2, 2], [1, 2, 3, 4])])
    #expect(tensorOf(scaled[0]) == floats([2, 2], [0, 0, 4, 1]))
    let imputed = try runOperator(
        "Imputer", domain: "ai.onnx.ml",
        attributes: [("imputed_value_floats", .floats([7, 8])), ("replaced_value_float", .float(.nan))], inputs: [x])
    #expect(tensorOf(imputed[0]) == floats([2, 2], [1, 2, 3, 8]))
    let l1 = try runOperator(
        "Normalizer", domain: "ai.onnx.ml", attributes: [("norm", .string("L1"))],
        inputs: [floats([1, 3], [1, -1, 2])])
    #expect(tensorOf(l1[0]) == floats([1, 3], [0.25, -0.25, 0.5]))
    let l2 = try runOperator(
        "Normalizer", domain: "ai.onnx.ml", attributes: [("norm", .string("L2"))], inputs: [floats([1, 2], [3, 4])])
    #expect(tensorOf(l2[0]) == floats([1, 2], [0.6, 0.8]))
    let max = try runOperator(
        "Normalizer", domain: "ai.onnx.ml", attributes: [("norm", .string("MAX"))], inputs: [floats([1, 2], [2, 4])])
    #expect(tensorOf(max[0]) == floats([1, 2], [0.5, 1]))
    let binary = try runOperator(
        "Binarizer", domain: "ai.onnx.ml", attributes: [("threshold", .float(1))], inputs: [floats([3], [0.5, 1, 1.5])])
    #expect(tensorOf(binary[0]) == floats([3], [0, 0, 1]))
}

@Test func oneHotEncoderArrayFeatureExtractorAndZipMap() throws {
    let cats = Tensor(shape: [2, 1], values: .string(["b", "z"]))
    let hot = try runOperator(
        "OneHotEncoder", domain: "ai.onnx.ml", attributes: [("cats_strings", .strings(["a", "b"]))], inputs: [cats])
    #expect(tensorOf(hot[0]) == floats([2, 1, 2], [0, 1, 0, 0]))
    #expect(throws: InferenceError.badInput("OneHotEncoder: unknown category 'z'")) {
        try runOperator(
            "OneHotEncoder", domain: "ai.onnx.ml",
            attributes: [("cats_strings", .strings(["a", "b"])), ("zeros", .int(0))],
            inputs: [cats])
    }
    let picked = try runOperator(
        "ArrayFeatureExtractor", domain: "ai.onnx.ml",
        inputs: [floats([2, 3], [1, 2, 3, 4, 5, 6]), Tensor(shape: [2], values: .int64([2, 0]))])
    #expect(tensorOf(picked[0]) == floats([2, 2], [3, 1, 6, 4]))
    let zipped = try runOperator(
        "ZipMap", domain: "ai.onnx.ml", attributes: [("classlabels_strings", .strings(["no", "yes"]))],
        inputs: [floats([2, 2], [0.1, 0.9, 0.7, 0.3])])
    guard case .maps(let labels, let p) = zipped[0] else {
        Issue.record("ZipMap returned a tensor")
        return
    }
    #expect(labels == .string(["no", "yes"]))
    #expect(p == [0.1, 0.9, 0.7, 0.3])
}

@Test func linearModelsScoreAndLabel() throws {
    let x = floats([2, 2], [1, 2, -1, 0])
    let reg = try runOperator(
        "LinearRegressor", domain: "ai.onnx.ml",
        attributes: [("coefficients", .floats([2, 3])), ("intercepts", .floats([1]))],
        inputs: [x])
    #expect(tensorOf(reg[0]) == floats([2, 1], [9, -1]))
    let cls = try runOperator(
        "LinearClassifier", domain: "ai.onnx.ml",
        attributes: [
            ("coefficients", .floats([1, 0, 0, 1, -1, -1])), ("intercepts", .floats([0, 0, 0.5])),
            ("classlabels_strings", .strings(["a", "b", "c"])),
        ],
        inputs: [x], outputs: 2)
    #expect(tensorOf(cls[0])?.values == .string(["b", "c"]))
    #expect(tensorOf(cls[1]) == floats([2, 3], [1, 2, -2.5, -1, 0, 1.5]))
    let logistic = try runOperator(
        "LinearClassifier", domain: "ai.onnx.ml",
        attributes: [
            ("coefficients", .floats([1, 1])), ("intercepts", .floats([0])), ("classlabels_ints", .ints([3, 7])),
            ("post_transform", .string("LOGISTIC")),
        ],
        inputs: [floats([2, 2], [0, 0, 2, -3])], outputs: 2)
    #expect(tensorOf(logistic[0])?.values == .int64([3, 3]))
    let p = try floatValues(logistic[1])
    #expect(p[0] == 0.5 && p[1] == 0.5)
    #expect(abs(p[3] - 0.26894142) < 1e-7 && abs(p[2] - 0.7310586) < 1e-6)
}

/// Two stumps on feature 0 (≤ 0.5) and feature 1 (< 2, NaN goes true).
private let stumps: [(String, TestAttribute)] = [
    ("nodes_treeids", .ints([0, 0, 0, 1, 1, 1])), ("nodes_nodeids", .ints([0, 1, 2, 0, 1, 2])),
    ("nodes_featureids", .ints([0, 0, 0, 1, 0, 0])), ("nodes_values", .floats([0.5, 0, 0, 2, 0, 0])),
    ("nodes_modes", .strings(["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LT", "LEAF", "LEAF"])),
    ("nodes_truenodeids", .ints([1, 0, 0, 1, 0, 0])), ("nodes_falsenodeids", .ints([2, 0, 0, 2, 0, 0])),
    ("nodes_missing_value_tracks_true", .ints([0, 0, 0, 1, 0, 0])),
]

@Test func treeEnsembleRegressorSumsAveragesAndFollowsMissingValues() throws {
    let targets: [(String, TestAttribute)] = [
        ("target_treeids", .ints([0, 0, 1, 1])), ("target_nodeids", .ints([1, 2, 1, 2])),
        ("target_ids", .ints([0, 0, 0, 0])), ("target_weights", .floats([1, 2, 10, 20])), ("n_targets", .int(1)),
    ]
    let x = floats([3, 2], [0.5, 1, 0.7, 2, .nan, .nan])
    let sum = try runOperator(
        "TreeEnsembleRegressor", domain: "ai.onnx.ml", attributes: stumps + targets + [("base_values", .floats([100]))],
        inputs: [x])
    // Row 1: 1 + 10; row 2: 2 + 20; row 3: NaN ≤ 0.5 is false → 2, NaN tracks true → 10.
    #expect(tensorOf(sum[0]) == floats([3, 1], [111, 122, 112]))
    let average = try runOperator(
        "TreeEnsembleRegressor", domain: "ai.onnx.ml",
        attributes: stumps + targets + [("aggregate_function", .string("AVERAGE"))],
        inputs: [x])
    #expect(tensorOf(average[0]) == floats([3, 1], [5.5, 11, 6]))
    #expect(throws: InferenceError.badInput("TreeEnsembleRegressor reads feature 1 but rows have 1 values")) {
        try runOperator(
            "TreeEnsembleRegressor", domain: "ai.onnx.ml", attributes: stumps + targets, inputs: [floats([1, 1], [0])])
    }
}

@Test func treeEnsembleClassifierPicksTheBestClassAndTransforms() throws {
    let classes: [(String, TestAttribute)] = [
        ("class_treeids", .ints([0, 0, 0, 0, 1, 1])), ("class_nodeids", .ints([1, 1, 2, 2, 1, 2])),
        ("class_ids", .ints([0, 1, 0, 1, 2, 2])), ("class_weights", .floats([1, 0, 0, 1, 0.5, 3])),
        ("classlabels_strings", .strings(["a", "b", "c"])),
    ]
    let out = try runOperator(
        "TreeEnsembleClassifier", domain: "ai.onnx.ml", attributes: stumps + classes,
        inputs: [floats([2, 2], [0, 0, 1, 5])],
        outputs: 2)
    // Row 1: a=1, c=0.5 → a; row 2: b=1, c=3 → c.
    #expect(tensorOf(out[0])?.values == .string(["a", "c"]))
    #expect(tensorOf(out[1]) == floats([2, 3], [1, 0, 0.5, 0, 1, 3]))
    // Binary with weights on one class and a logistic: probabilities [1 − σ(s), σ(s)] written as σ(−s), σ(s).
    let binary: [(String, TestAttribute)] = [
        ("class_treeids", .ints([0, 0, 1, 1])), ("class_nodeids", .ints([1, 2, 1, 2])),
        ("class_ids", .ints([0, 0, 0, 0])),
        ("class_weights", .floats([-1, 1, -0.5, 0.5])), ("classlabels_int64s", .ints([0, 1])),
        ("post_transform", .string("LOGISTIC")), ("base_values", .floats([0.25])),
    ]
    let b = try runOperator(
        "TreeEnsembleClassifier", domain: "ai.onnx.ml", attributes: stumps + binary, inputs: [floats([1, 2], [1, 0])],
        outputs: 2)
    #expect(tensorOf(b[0])?.values == .int64([1]))
    let p = try floatValues(b[1])
    // s = 1 − 0.5 + 0.25 = 0.75.
    #expect(abs(p[1] - 0.6791787) < 1e-6 && abs(p[0] - 0.3208213) < 1e-6)
}

@Test func treeEnsembleRefusesBrokenTrees() {
    var broken = stumps
    broken[5] = ("nodes_truenodeids", .ints([1, 0, 0, 9, 0, 0]))
    #expect(throws: InferenceError.self) {
        try runOperator(
            "TreeEnsembleRegressor", domain: "ai.onnx.ml", attributes: broken, inputs: [floats([1, 2], [0, 0])])
    }
    var looped = stumps
    looped[5] = ("nodes_truenodeids", .ints([1, 0, 0, 0, 0, 0]))
    looped[4] = ("nodes_modes", .strings(["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LT", "BRANCH_LEQ", "LEAF"]))
    #expect(throws: InferenceError.self) {
        try runOperator(
            "TreeEnsembleRegressor", domain: "ai.onnx.ml", attributes: looped, inputs: [floats([1, 2], [0, 0])])
    }
}

@Test func treeWalksInterleavedOverRowsAndTreesAgreeWithTheDefinition() throws {
    // Six stumps: tree t splits feature t % 2 at 0.1·t; the left leaf weighs t, the right 10·t.
    let trees = 6
    var attributes: [(String, TestAttribute)] = [
        ("nodes_treeids", .ints((0..<trees).flatMap { t in [Int64(t), Int64(t), Int64(t)] })),
        ("nodes_nodeids", .ints((0..<trees).flatMap { _ in [0, 1, 2] })),
        ("nodes_featureids", .ints((0..<trees).flatMap { t in [Int64(t % 2), 0, 0] })),
        ("nodes_values", .floats((0..<trees).flatMap { t in [Float(t) * 0.1, 0, 0] })),
        ("nodes_modes", .strings((0..<trees).flatMap { _ in ["BRANCH_LEQ", "LEAF", "LEAF"] })),
        ("nodes_truenodeids", .ints((0..<trees).flatMap { _ in [1, 0, 0] })),
        ("nodes_falsenodeids", .ints((0..<trees).flatMap { _ in [2, 0, 0] })),
    ]
    attributes += [
        ("target_treeids", .ints((0..<trees).flatMap { t in [Int64(t), Int64(t)] })),
        ("target_nodeids", .ints((0..<trees).flatMap { _ in [1, 2] })),
        ("target_ids", .ints(Array(repeating: 0, count: 2 * trees))),
        ("target_weights", .floats((0..<trees).flatMap { t in [Float(t), Float(10 * t)] })),
    ]
    let rows = 9
    let x: [Float] = (0..<(2 * rows)).map { (i: Int) -> Float in Float(i % 7) * 0.1 - 0.05 }
    var expected: [Float] = []
    for r in 0..<rows {
        var sum: Float = 0
        for t in 0..<trees {
            let goesLeft = x[2 * r + t % 2] <= Float(t) * 0.1
            sum += goesLeft ? Float(t) : Float(10 * t)
        }
        expected.append(sum)
    }
    let all = try runOperator(
        "TreeEnsembleRegressor", domain: "ai.onnx.ml", attributes: attributes, inputs: [floats([rows, 2], x)])
    #expect(try floatValues(all[0]) == expected)
    for r in 0..<rows {
        let one = try runOperator(
            "TreeEnsembleRegressor", domain: "ai.onnx.ml", attributes: attributes,
            inputs: [floats([1, 2], Array(x[(2 * r)..<(2 * r + 2)]))])
        #expect(try floatValues(one[0]) == [expected[r]])
    }
}

@Test func labelEncoderMapsKeysToValuesWithDefaults() throws {
    let mapped = try runOperator(
        "LabelEncoder", domain: "ai.onnx.ml", opset: 2,
        attributes: [
            ("keys_strings", .strings(["a", "b"])), ("values_int64s", .ints([7, 9])), ("default_int64", .int(-5)),
        ],
        inputs: [Tensor(shape: [3], values: .string(["b", "z", "a"]))])
    #expect(tensorOf(mapped[0])?.values == .int64([9, -5, 7]))
    let legacy = try runOperator(
        "LabelEncoder", domain: "ai.onnx.ml", opset: 1, attributes: [("classes_strings", .strings(["x", "y"]))],
        inputs: [Tensor(shape: [3], values: .int64([1, 0, 4]))])
    #expect(tensorOf(legacy[0])?.values == .string(["y", "x", "_Unused"]))
    let back = try runOperator(
        "LabelEncoder", domain: "ai.onnx.ml", opset: 1, attributes: [("classes_strings", .strings(["x", "y"]))],
        inputs: [Tensor(shape: [2], values: .string(["y", "q"]))])
    #expect(tensorOf(back[0])?.values == .int64([1, -1]))
}
