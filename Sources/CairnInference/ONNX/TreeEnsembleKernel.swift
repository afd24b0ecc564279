/// `ai.onnx.ml.TreeEnsembleRegressor` and `TreeEnsembleClassifier`: trees flattened into
/// struct-of-arrays at load time, evaluated row by row with one reused score buffer, aggregated
/// and post-transformed as onnxruntime does (float thresholds and float accumulation).
struct TreeEnsembleKernel: ONNXKernel {
    /// How leaf weights of different trees combine.
    enum Aggregate: Sendable { case sum, average, min, max }

    /// Node modes; 0 is a leaf.
    enum Mode: UInt8, Sendable { case leaf = 0, leq, lt, gte, gt, eq, neq }

    let nodes: TreeNodes
    /// The nodes packed for evaluation.
    let packed: [TreeNodes.Packed]
    /// Rows walked together, tree by tree.
    static let blockRows = 64
    let outputCount: Int
    let aggregate: Aggregate
    let baseValues: [Float]
    let transform: PostTransform
    /// Class labels, for the classifier.
    let labels: ClassLabels?
    /// Classifier with two labels whose weights all go to one class.
    let binaryCase: Bool
    let weightsArePositive: Bool

    init(regressor c: ONNXNodeContext) throws(InferenceError) {
        outputCount = Int(clamping: c.int("n_targets", 1))
        guard outputCount > 0, outputCount <= 1 << 20 else { throw c.unsupported("n_targets \(outputCount)") }
        switch c.string("aggregate_function", "SUM") {
        case "SUM": aggregate = .sum
        case "AVERAGE": aggregate = .average
        case "MIN": aggregate = .min
        case "MAX": aggregate = .max
        case let other: throw c.unsupported("aggregate_function \(other)")
        }
        baseValues = try c.floatsOrTensor("base_values")
        transform = try PostTransform(c)
        nodes = try TreeNodes(c, prefix: "target", outputs: outputCount)
        packed = nodes.packed()
        labels = nil
        binaryCase = false
        weightsArePositive = true
    }

    init(classifier c: ONNXNodeContext) throws(InferenceError) {
        let labels = try ClassLabels(c)
        self.labels = labels
        outputCount = labels.count
        aggregate = .sum
        baseValues = try c.floatsOrTensor("base_values")
        transform = try PostTransform(c)
        nodes = try TreeNodes(c, prefix: "class", outputs: outputCount)
        packed = nodes.packed()
        binaryCase = outputCount == 2 && Set(nodes.leafTargets).count == 1
        weightsArePositive = nodes.leafWeights.allSatisfy { $0 >= 0 }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let op = labels == nil ? "TreeEnsembleRegressor" : "TreeEnsembleClassifier"
        let x = try KernelInput.tensor(inputs, 0, op)
        let (rows, stride) = x.matrixShape
        guard nodes.maxFeature < stride else {
            throw .badInput("\(op) reads feature \(nodes.maxFeature) but rows have \(stride) values")
        }
        let values = try x.values.floats(op)
        let width = outputCount
        var out = [Float](repeating: 0, count: rows * (labels == nil ? width : Swift.max(width, 2)))
        var labelValues = [Int64](repeating: 0, count: labels == nil ? 0 : rows)
        var scores = [Float](repeating: 0, count: width)
        var has = [Bool](repeating: false, count: width)
        let outWidth = labels == nil ? width : Swift.max(width, 2)
        let block = Self.blockRows
        var blockScores = [Float](repeating: 0, count: block * width)
        var blockHas = [Bool](repeating: false, count: block * width)
        values.withUnsafeBufferPointer { xs in
            packed.withUnsafeBufferPointer { pn in
                nodes.roots.withUnsafeBufferPointer { roots in
                    nodes.leafTargets.withUnsafeBufferPointer { targets in
                        nodes.leafWeights.withUnsafeBufferPointer { weights in
                            var start = 0
                            while start < rows {
                                let range = start..<Swift.min(rows, start + block)
                                let used = range.count * width
                                blockScores.withUnsafeMutableBufferPointer { bs in
                                    blockHas.withUnsafeMutableBufferPointer { bh in
                                        bs.baseAddress!.update(repeating: 0, count: used)
                                        bh.baseAddress!.update(repeating: false, count: used)
                                        TreeNodes.accumulate(
                                            pn, roots: roots, targets: targets, weights: weights, x: xs, rows: range,
                                            stride: stride, aggregate: aggregate, scores: bs.baseAddress!,
                                            has: bh.baseAddress!, width: width)
                                    }
                                }
                                for r in range {
                                    let base = (r - start) * width
                                    for j in 0..<width {
                                        scores[j] = blockScores[base + j]
                                        has[j] = blockHas[base + j]
                                    }
                                    if labels == nil {
                                        finishRegression(&scores, has, into: &out, at: r * outWidth)
                                    } else {
                                        labelValues[r] = finishClassification(
                                            &scores, has, into: &out, at: r * outWidth)
                                    }
                                }
                                start = range.upperBound
                            }
                        }
                    }
                }
            }
        }
        let scoreTensor = Tensor(shape: [rows, outWidth], values: .float(out))
        guard let labels else { return [.tensor(scoreTensor)] }
        let labelTensor: Tensor
        switch labels {
        case .int64: labelTensor = Tensor(shape: [rows], values: .int64(labelValues))
        case .string(let names):
            labelTensor = Tensor(
                shape: [rows],
                values: .string(labelValues.map { $0 >= 0 && Int($0) < names.count ? names[Int($0)] : "" }))
        }
        return [.tensor(labelTensor), .tensor(scoreTensor)]
    }

    private func finishRegression(_ scores: inout [Float], _ has: [Bool], into out: inout [Float], at base: Int) {
        let trees = Float(nodes.roots.count)
        if outputCount == 1 {
            let origin: Float = baseValues.count == 1 ? baseValues[0] : 0
            var s: Float
            switch aggregate {
            case .sum: s = scores[0] + origin
            case .average: s = scores[0] / trees + origin
            case .min, .max: s = has[0] ? scores[0] + origin : origin
            }
            if transform == .probit { s = PostTransform.probit(s) }
            out[base] = s
            return
        }
        let useBase = baseValues.count == outputCount
        for j in 0..<outputCount {
            let b: Float = useBase ? baseValues[j] : 0
            switch aggregate {
            case .sum: scores[j] = scores[j] + b
            case .average: scores[j] = scores[j] / trees + b
            case .min, .max: scores[j] = b + (has[j] ? scores[j] : 0)
            }
        }
        var row = scores[...]
        transform.apply(&row)
        for j in 0..<outputCount { out[base + j] = row[j] }
    }

    /// Finishes one classifier row; returns the label value (for string labels, its index).
    private func finishClassification(_ scores: inout [Float], _ hasIn: [Bool], into out: inout [Float], at base: Int)
        -> Int64
    {
        var has = hasIn
        guard case let labels? = labels else { return 0 }
        let labelAt: (Int) -> Int64 = { i in
            switch labels {
            case .int64(let v): v[i]
            case .string: Int64(i)
            }
        }
        if outputCount > 2 {
            for k in 0..<Swift.min(baseValues.count, outputCount) {
                scores[k] = has[k] ? scores[k] + baseValues[k] : baseValues[k]
                has[k] = true
            }
            var best = -1
            for k in 0..<outputCount where has[k] && (best < 0 || scores[k] > scores[best]) { best = k }
            var row = scores[...]
            transform.apply(&row)
            for j in 0..<outputCount { out[base + j] = row[j] }
            return labelAt(Swift.max(best, 0))
        }
        var additional = -1
        var single = false
        if baseValues.count == 2 {
            if has[1] {
                scores[1] = baseValues[1] + scores[0]
                scores[0] = -scores[1]
            } else {
                scores[1] += baseValues[1]
                scores[0] += baseValues[0]
            }
        } else if baseValues.count == 1 {
            scores[0] += baseValues[0]
            single = !has[1]
        } else if baseValues.isEmpty {
            additional = 3
            single = !has[1]
        }
        let positive: Float = single ? (has[0] ? scores[0] : 0) : scores[1]
        var label: Int64
        if binaryCase {
            if weightsArePositive {
                additional = positive > 0.5 ? 0 : 1
                label = labelAt(positive > 0.5 ? 1 : 0)
            } else {
                additional = positive > 0 ? 2 : 3
                label = labelAt(positive > 0 ? 1 : 0)
            }
        } else {
            label = positive > 0 ? 1 : 0
        }
        if !single {
            var row = scores[...]
            transform.apply(&row)
            out[base] = row[0]
            out[base + 1] = row[1]
            return label
        }
        let s = scores[0]
        switch (transform, additional) {
        case (.probit, _):
            out[base] = PostTransform.probit(s)
        case (_, 0), (_, 1):
            out[base] = 1 - s
            out[base + 1] = s
        case (.logistic, 2), (.logistic, 3):
            out[base] = PostTransform.logistic(-s)
            out[base + 1] = PostTransform.logistic(s)
        case (_, 2):
            out[base] = -s
            out[base + 1] = s
        case (_, 3):
            out[base] = s
            out[base + 1] = -s
        default:
            out[base] = s
        }
        if case .string = labels { label = Swift.max(0, Swift.min(label, 1)) }
        return label
    }
}
