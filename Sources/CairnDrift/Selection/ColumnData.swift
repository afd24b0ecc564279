/// The values of one column, already typed.
public enum ColumnData: Sendable, Equatable {
    /// Numbers; NaN and ±∞ are treated as missing.
    case numeric([Double])
    /// Category labels.
    case categorical([String])

    /// The column's type.
    public var type: ColumnType {
        switch self {
        case .numeric: return .numeric
        case .categorical: return .categorical
        }
    }
}

/// Column type as reported in drift results.
public enum ColumnType: String, Sendable, Codable, Equatable {
    /// Numeric column.
    case numeric
    /// Categorical column.
    case categorical
}

/// Drift of one column.
public struct ColumnDriftResult: Sendable, Equatable, Codable {
    /// Column name.
    public var name: String
    /// Column type.
    public var type: ColumnType
    /// The test that produced the score.
    public var test: DriftTestKind
    /// The drift score: a p-value or a distance depending on `test`.
    public var score: Double
    /// The threshold the score was compared with.
    public var threshold: Double
    /// Whether the column drifted.
    public var driftDetected: Bool
    /// Reference values used (after dropping missing ones).
    public var referenceCount: Int
    /// Current values used (after dropping missing ones).
    public var currentCount: Int

    /// Creates a result.
    public init(
        name: String, type: ColumnType, test: DriftTestKind, score: Double, threshold: Double, driftDetected: Bool,
        referenceCount: Int, currentCount: Int
    ) {
        self.name = name
        self.type = type
        self.test = test
        self.score = score
        self.threshold = threshold
        self.driftDetected = driftDetected
        self.referenceCount = referenceCount
        self.currentCount = currentCount
    }
}
