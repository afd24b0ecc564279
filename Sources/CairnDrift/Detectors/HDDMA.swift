#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// HDDM_A, drift detection with Hoeffding bounds on moving averages (Frías-Blanco et al., "Online and
/// Non-Parametric Drift Detection Methods Based on Hoeffding's Bounds", IEEE TKDE 27(3), 2015, method A).
/// It keeps the running mean of all values and the prefix with the lowest (and highest) Hoeffding-adjusted
/// mean; an increase of the mean since that cut larger than ε = √(m/2 · ln(2/conf)),
/// m = (n − n_cut)/(n_cut·n), is a drift (confidence `driftConfidence`) or a warning (`warningConfidence`).
/// river 0.26.1's defaults.
public struct HDDMA: DriftDetector {
    /// Confidence of the drift bound.
    public let driftConfidence: Double
    /// Confidence of the warning bound.
    public let warningConfidence: Double
    /// Whether decreases are also detected.
    public let twoSided: Bool

    private var cutMin = RunningMean()
    private var cutMax = RunningMean()
    private var z = RunningMean()
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false
    /// Whether the latest update signalled a warning.
    public private(set) var warningDetected = false

    /// Creates a detector; parameters are validated.
    public init(driftConfidence: Double = 0.001, warningConfidence: Double = 0.005, twoSided: Bool = false) throws {
        guard driftConfidence > 0, driftConfidence < 1, warningConfidence > 0, warningConfidence < 1 else {
            throw DriftError.invalidParameter("HDDM_A confidences must be in (0, 1)")
        }
        self.driftConfidence = driftConfidence
        self.warningConfidence = warningConfidence
        self.twoSided = twoSided
    }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        cutMin = RunningMean()
        cutMax = RunningMean()
        z = RunningMean()
        driftDetected = false
        warningDetected = false
    }

    private func hoeffding(_ n: Double) -> Double { (1 / (2 * n) * log(1 / driftConfidence)).squareRoot() }

    /// Feeds one outcome (1 = error).
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        z.update(x)
        if cutMin.n == 0 { cutMin = z }
        if cutMax.n == 0 { cutMax = z }
        let epsZ = hoeffding(z.n)
        if cutMin.mean + hoeffding(cutMin.n) >= z.mean + epsZ { cutMin = z }
        if cutMax.mean - hoeffding(cutMax.n) <= z.mean - epsZ { cutMax = z }
        if increased(driftConfidence) {
            warningDetected = false
            driftDetected = true
        } else if increased(warningConfidence) {
            warningDetected = true
            driftDetected = false
        } else {
            warningDetected = false
            driftDetected = false
        }
        if twoSided {
            if decreased(driftConfidence) {
                driftDetected = true
            } else if decreased(warningConfidence) {
                warningDetected = true
            }
        }
    }

    private func bound(_ cut: RunningMean, _ confidence: Double) -> Double {
        let m = (z.n - cut.n) / cut.n * (1 / z.n)
        return (m / 2 * log(2 / confidence)).squareRoot()
    }

    private func increased(_ confidence: Double) -> Bool {
        if cutMin.n == z.n { return false }
        return z.mean - cutMin.mean >= bound(cutMin, confidence)
    }

    private func decreased(_ confidence: Double) -> Bool {
        if cutMax.n == z.n { return false }
        return cutMax.mean - z.mean >= bound(cutMax, confidence)
    }
}
