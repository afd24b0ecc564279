/// The outcome of one two-sample test: a statistic and, for hypothesis tests, a p-value.
public struct TestResult: Sendable, Equatable, Codable {
    /// The test statistic (a distance for distance measures).
    public var statistic: Double
    /// The p-value, or `nil` for pure distances.
    public var pValue: Double?

    /// Creates a result.
    public init(statistic: Double, pValue: Double? = nil) {
        self.statistic = statistic
        self.pValue = pValue
    }
}

/// Which tail a one-sided test looks at.
public enum Alternative: String, Sendable, Codable, CaseIterable {
    /// Distributions differ in either direction.
    case twoSided = "two-sided"
    /// The first sample is stochastically smaller.
    case less
    /// The first sample is stochastically greater.
    case greater
}

/// Errors raised by the statistics when the input cannot give a meaningful answer.
public enum DriftError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A sample has no finite values.
    case emptySample(String)
    /// A test needs more observations or more distinct values than it was given.
    case notEnoughData(String)
    /// A test was asked for on a column type it does not support.
    case unsupportedColumnType(test: String, columnType: String)
    /// A parameter is out of its valid range.
    case invalidParameter(String)

    /// A readable message.
    public var description: String {
        switch self {
        case .emptySample(let what): return "empty sample: \(what)"
        case .notEnoughData(let what): return "not enough data: \(what)"
        case .unsupportedColumnType(let test, let type): return "test '\(test)' does not apply to \(type) columns"
        case .invalidParameter(let what): return "invalid parameter: \(what)"
        }
    }
}
