import Foundation

/// The `post_transform` of ONNX-ML classifiers and regressors, with the float formulas
/// onnxruntime uses (a logistic symmetric around zero, a max-shifted softmax, probit through the
/// Winitzki inverse-error approximation with a = 0.147).
enum PostTransform: Sendable {
    case none, softmax, logistic, softmaxZero, probit

    init(_ c: ONNXNodeContext) throws(InferenceError) {
        switch c.string("post_transform", "NONE") {
        case "NONE": self = .none
        case "SOFTMAX": self = .softmax
        case "LOGISTIC": self = .logistic
        case "SOFTMAX_ZERO": self = .softmaxZero
        case "PROBIT": self = .probit
        case let other: throw c.unsupported("post_transform \(other)")
        }
    }

    /// `1 / (1 + e^-|x|)`, mirrored for negative x.
    static func logistic(_ x: Float) -> Float {
        let v = 1 / (1 + Foundation.exp(-Swift.abs(x)))
        return x < 0 ? 1 - v : v
    }

    /// `√2 · erfinv(2x − 1)`.
    static func probit(_ x: Float) -> Float {
        let y = 2 * x - 1
        let sign: Float = y < 0 ? -1 : 1
        let t = (1 - y) * (1 + y)
        let l = Foundation.log(t)
        let v = 2 / (3.14159 * 0.147) + 0.5 * l
        let v2 = 1 / 0.147 * l
        let v3 = -v + (v * v - v2).squareRoot()
        return 1.41421356 * sign * v3.squareRoot()
    }

    /// Applies the transform in place to one row of scores.
    func apply(_ scores: inout ArraySlice<Float>) {
        switch self {
        case .none: return
        case .logistic: for i in scores.indices { scores[i] = Self.logistic(scores[i]) }
        case .probit: for i in scores.indices { scores[i] = Self.probit(scores[i]) }
        case .softmax:
            var m = -Float.greatestFiniteMagnitude
            for v in scores where v > m { m = v }
            var sum: Float = 0
            for i in scores.indices {
                scores[i] = Foundation.exp(scores[i] - m)
                sum += scores[i]
            }
            for i in scores.indices { scores[i] /= sum }
        case .softmaxZero:
            var m = -Float.greatestFiniteMagnitude
            for v in scores where v > m { m = v }
            let scale = Foundation.exp(-m)
            var sum: Float = 0
            for i in scores.indices {
                if scores[i] > 0.0000001 || scores[i] < -0.0000001 {
                    scores[i] = Foundation.exp(scores[i] - m)
                    sum += scores[i]
                } else {
                    scores[i] *= scale
                }
            }
            for i in scores.indices { scores[i] /= sum }
        }
    }
}

/// Class labels of an ONNX-ML classifier: int64 or strings.
enum ClassLabels: Sendable {
    case int64([Int64])
    case string([String])

    /// Reads `classlabels_int64s`/`classlabels_strings` (or the `_ints` spelling of LinearClassifier).
    init(_ c: ONNXNodeContext, intsName: String = "classlabels_int64s") throws(InferenceError) {
        let strings = c.strings("classlabels_strings")
        if !strings.isEmpty {
            self = .string(strings)
        } else {
            let ints = c.ints(intsName)
            guard !ints.isEmpty else { throw c.unsupported("no class labels") }
            self = .int64(ints)
        }
    }

    var count: Int {
        switch self {
        case .int64(let v): v.count
        case .string(let v): v.count
        }
    }

    /// A label tensor of `indices` into the label list.
    func tensor(_ indices: [Int]) -> Tensor {
        switch self {
        case .int64(let v): Tensor(shape: [indices.count], values: .int64(indices.map { v[$0] }))
        case .string(let v): Tensor(shape: [indices.count], values: .string(indices.map { v[$0] }))
        }
    }
}
