#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output transform of a LightGBM objective (the `objective=` line of the model text), in double
/// precision as LightGBM computes it.
enum LightGBMObjective: Sendable, Equatable {
    /// Raw scores: regression, regression_l1, huber, fair, quantile, mape.
    case identity(String)
    /// binary: `1 / (1 + exp(-sigmoid × x))`.
    case binary(sigmoid: Double)
    /// multiclass: softmax over the classes.
    case multiclass
    /// multiclassova: a sigmoid per class.
    case oneVsAll(sigmoid: Double)
    /// poisson, gamma, tweedie: `exp(x)`.
    case exponential(String)

    /// Objectives read natively.
    static let known = [
        "regression", "regression_l1", "huber", "fair", "quantile", "mape", "binary", "multiclass",
        "multiclassova", "poisson", "gamma", "tweedie",
    ]

    /// Parses the `objective=` value, e.g. `binary sigmoid:1` or `multiclass num_class:3`.
    init(line: String) throws(InferenceError) {
        let parts = line.split(separator: " ")
        guard let name = parts.first.map(String.init) else {
            throw .unsupported("the LightGBM model names no objective")
        }
        var sigmoid = 1.0
        for part in parts.dropFirst() where part.hasPrefix("sigmoid:") {
            guard let v = Double(part.dropFirst("sigmoid:".count)), v > 0 else {
                throw .unsupported("the LightGBM objective has an invalid sigmoid '\(part)'")
            }
            sigmoid = v
        }
        switch name {
        case "regression", "regression_l1", "huber", "fair", "quantile", "mape": self = .identity(name)
        case "binary": self = .binary(sigmoid: sigmoid)
        case "multiclass": self = .multiclass
        case "multiclassova": self = .oneVsAll(sigmoid: sigmoid)
        case "poisson", "gamma", "tweedie": self = .exponential(name)
        default:
            throw .unsupported(
                "LightGBM objective '\(name)' has no native runtime (native: \(Self.known.joined(separator: ", ")))")
        }
    }

    /// The objective's name.
    var name: String {
        switch self {
        case .identity(let n), .exponential(let n): n
        case .binary: "binary"
        case .multiclass: "multiclass"
        case .oneVsAll: "multiclassova"
        }
    }

    /// Turns one row's raw scores (`count` values at `values`) into predictions in place.
    func transform(_ values: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .identity: break
        case .binary(let s), .oneVsAll(let s):
            for i in 0..<count { values[i] = 1 / (1 + exp(-s * values[i])) }
        case .exponential:
            for i in 0..<count { values[i] = exp(values[i]) }
        case .multiclass:
            var top = values[0]
            for i in 1..<count { top = Swift.max(values[i], top) }
            var sum = 0.0
            for i in 0..<count {
                values[i] = exp(values[i] - top)
                sum += values[i]
            }
            for i in 0..<count { values[i] /= sum }
        }
    }
}
