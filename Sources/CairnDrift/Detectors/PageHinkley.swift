/// The Page–Hinkley test (Page, "Continuous Inspection Schemes", Biometrika 41, 1954): a CUSUM of the
/// deviations from the running mean with a tolerance δ and a fading factor α,
/// S⁺ = α·S⁺ + (x − x̄) − δ and S⁻ = α·S⁻ + (x − x̄) + δ; drift when S⁺ − min S⁺ or max S⁻ − S⁻ exceeds
/// `threshold` after `minInstances` values. `threshold` is in the data's units. river 0.26.1's defaults.
public struct PageHinkley: DriftDetector {
    /// Which direction of change is detected.
    public enum Mode: String, Sendable, CaseIterable {
        /// Increases of the mean.
        case up
        /// Decreases of the mean.
        case down
        /// Both directions.
        case both
    }

    /// Values seen before testing starts.
    public let minInstances: Int
    /// Tolerated change δ.
    public let delta: Double
    /// Detection threshold λ.
    public let threshold: Double
    /// Fading factor α.
    public let alpha: Double
    /// Direction tested.
    public let mode: Mode

    private var mean = RunningMean()
    private var sumIncrease = 0.0
    private var sumDecrease = 0.0
    private var minIncrease = Double.infinity
    private var maxDecrease = -1.0
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false

    /// Creates a detector; parameters are validated.
    public init(
        minInstances: Int = 30, delta: Double = 0.005, threshold: Double = 50, alpha: Double = 1 - 0.0001,
        mode: Mode = .both
    )
        throws
    {
        guard minInstances >= 1 else { throw DriftError.invalidParameter("min_instances must be at least 1") }
        guard threshold > 0 else { throw DriftError.invalidParameter("threshold must be positive") }
        guard alpha > 0, alpha <= 1 else { throw DriftError.invalidParameter("alpha must be in (0, 1]") }
        self.minInstances = minInstances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        self.mode = mode
    }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        mean = RunningMean()
        sumIncrease = 0
        sumDecrease = 0
        minIncrease = .infinity
        maxDecrease = -1
        driftDetected = false
    }

    /// Feeds one value.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        mean.update(x)
        let dev = x - mean.mean
        sumIncrease = alpha * sumIncrease + dev - delta
        sumDecrease = alpha * sumDecrease + dev + delta
        if sumIncrease < minIncrease { minIncrease = sumIncrease }
        if sumDecrease > maxDecrease { maxDecrease = sumDecrease }
        if mean.n >= Double(minInstances) {
            let up = sumIncrease - minIncrease > threshold
            let down = maxDecrease - sumDecrease > threshold
            switch mode {
            case .up: driftDetected = up
            case .down: driftDetected = down
            case .both: driftDetected = up || down
            }
        }
    }
}
