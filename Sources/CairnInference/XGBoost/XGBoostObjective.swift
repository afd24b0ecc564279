#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The XGBoost objectives Cairn evaluates natively, with XGBoost's float32 link functions.
enum XGBoostObjective: String, Sendable, CaseIterable {
    case squaredError = "reg:squarederror"
    case logistic = "reg:logistic"
    case binaryLogistic = "binary:logistic"
    case binaryLogitRaw = "binary:logitraw"
    case softprob = "multi:softprob"
    case softmax = "multi:softmax"
    case poisson = "count:poisson"
    case tweedie = "reg:tweedie"

    /// The stored `base_score` (after the inverse link) turned into margin space. `binary:logitraw`
    /// has no output link, so its stored score is already a margin.
    func margin(fromBaseScore p: Float) -> Float {
        switch self {
        case .squaredError, .softprob, .softmax, .binaryLogitRaw: p
        case .logistic, .binaryLogistic: -logf(1 / p - 1)
        case .poisson, .tweedie: logf(p)
        }
    }

    /// XGBoost's sigmoid: `1 / (1 + e^min(-x, 88.7))` in float32.
    static func sigmoid(_ x: Float) -> Float {
        let e = expf(min(-x, 88.7))
        return 1 / (e + 1 + 1e-16)
    }

    /// Turns the margins of one row (`count` outputs at `values`) into predictions in place.
    /// For ``softmax`` the first value becomes the winning class index.
    func transform(_ values: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .squaredError, .binaryLogitRaw: break
        case .logistic, .binaryLogistic:
            for i in 0..<count { values[i] = Self.sigmoid(values[i]) }
        case .poisson, .tweedie:
            for i in 0..<count { values[i] = expf(values[i]) }
        case .softprob:
            var top = values[0]
            for i in 1..<count { top = fmaxf(values[i], top) }
            var sum: Double = 0
            for i in 0..<count {
                values[i] = expf(values[i] - top)
                sum += Double(values[i])
            }
            for i in 0..<count { values[i] /= Float(sum) }
        case .softmax:
            var best = 0
            for i in 1..<count where values[i] > values[best] { best = i }
            values[0] = Float(best)
        }
    }
}
