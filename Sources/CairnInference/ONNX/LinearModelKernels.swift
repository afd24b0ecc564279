/// `ai.onnx.ml.LinearRegressor`: `Y = X · coefficientsᵀ + intercepts`, float, then the post transform.
struct LinearRegressorKernel: ONNXKernel {
    let coefficients: [Float]
    let intercepts: [Float]
    let targets: Int
    let transform: PostTransform

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        coefficients = c.floats("coefficients")
        targets = Int(clamping: c.int("targets", 1))
        intercepts = c.floats("intercepts")
        transform = try PostTransform(c)
        guard targets > 0, !coefficients.isEmpty, coefficients.count % targets == 0 else {
            throw c.unsupported("\(coefficients.count) coefficients for \(targets) targets")
        }
        guard intercepts.isEmpty || intercepts.count == targets else {
            throw c.unsupported("\(intercepts.count) intercepts for \(targets) targets")
        }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "LinearRegressor")
        let (rows, features) = x.matrixShape
        guard features * targets == coefficients.count else {
            throw .badInput("LinearRegressor expects \(coefficients.count / targets) features, got \(features)")
        }
        let values = try x.values.floats("LinearRegressor")
        let w = MatrixMath.transpose(coefficients, rows: targets, columns: features)
        var out = MatrixMath.product(values, w, m: rows, k: features, n: targets)
        for r in 0..<rows {
            for t in 0..<targets where !intercepts.isEmpty { out[r * targets + t] += intercepts[t] }
            var row = out[(r * targets)..<((r + 1) * targets)]
            transform.apply(&row)
            out.replaceSubrange((r * targets)..<((r + 1) * targets), with: row)
        }
        return [.tensor(Tensor(shape: [rows, targets], values: .float(out)))]
    }
}

/// `ai.onnx.ml.LinearClassifier`: scores `X · coefficientsᵀ + intercepts`, the label of the best
/// score (or of its sign with one score column and two labels), then the post transform.
struct LinearClassifierKernel: ONNXKernel {
    let coefficients: [Float]
    let intercepts: [Float]
    let labels: ClassLabels
    let transform: PostTransform

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        coefficients = c.floats("coefficients")
        intercepts = c.floats("intercepts")
        labels = try ClassLabels(c, intsName: "classlabels_ints")
        transform = try PostTransform(c)
        guard !intercepts.isEmpty, !coefficients.isEmpty, coefficients.count % intercepts.count == 0 else {
            throw c.unsupported("\(coefficients.count) coefficients for \(intercepts.count) intercepts")
        }
        guard intercepts.count == labels.count || (intercepts.count == 1 && labels.count == 2) else {
            throw c.unsupported("\(intercepts.count) score columns for \(labels.count) labels")
        }
    }

    func run(_ inputs: [ONNXValue?]) throws(InferenceError) -> [ONNXValue] {
        let x = try KernelInput.tensor(inputs, 0, "LinearClassifier")
        let classes = intercepts.count
        let (rows, features) = x.matrixShape
        guard features * classes == coefficients.count else {
            throw .badInput("LinearClassifier expects \(coefficients.count / classes) features, got \(features)")
        }
        let values = try x.values.floats("LinearClassifier")
        let w = MatrixMath.transpose(coefficients, rows: classes, columns: features)
        var scores = MatrixMath.product(values, w, m: rows, k: features, n: classes)
        for r in 0..<rows { for j in 0..<classes { scores[r * classes + j] += intercepts[j] } }
        var picks = [Int](repeating: 0, count: rows)
        if classes == 1 {
            for r in 0..<rows { picks[r] = scores[r] > 0 ? 1 : 0 }
            var out = [Float](repeating: 0, count: rows * 2)
            for r in 0..<rows {
                var one = scores[r...r]
                transform.apply(&one)
                let s = one[r]
                if transform == .none || transform == .probit {
                    out[2 * r] = -s
                    out[2 * r + 1] = s
                } else {
                    out[2 * r] = 1 - s
                    out[2 * r + 1] = s
                }
            }
            return [.tensor(labels.tensor(picks)), .tensor(Tensor(shape: [rows, 2], values: .float(out)))]
        }
        for r in 0..<rows {
            var best = 0
            for j in 1..<classes where scores[r * classes + j] > scores[r * classes + best] { best = j }
            picks[r] = best
            var row = scores[(r * classes)..<((r + 1) * classes)]
            transform.apply(&row)
            scores.replaceSubrange((r * classes)..<((r + 1) * classes), with: row)
        }
        return [.tensor(labels.tensor(picks)), .tensor(Tensor(shape: [rows, classes], values: .float(scores)))]
    }
}
