/// DDM, the Drift Detection Method (Gama, Medas, Castillo & Rodrigues, "Learning with Drift Detection",
/// SBIA 2004), on a stream of errors (1) and correct predictions (0): with error rate pᵢ and
/// sᵢ = √(pᵢ(1 − pᵢ)/i), after `warmStart` values it tracks the minimum of pᵢ + sᵢ and signals a warning when
/// pᵢ + sᵢ > p_min + 2·s_min and drift when pᵢ + sᵢ > p_min + 3·s_min. river 0.26.1's defaults.
public struct DDM: DriftDetector {
    /// Observations before detection starts.
    public let warmStart: Int
    /// Warning multiplier of s_min.
    public let warningThreshold: Double
    /// Drift multiplier of s_min.
    public let driftThreshold: Double

    private var p = RunningMean()
    private var pMin = 0.0
    private var sMin = 0.0
    private var psMin = Double.infinity
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false
    /// Whether the latest update signalled a warning.
    public private(set) var warningDetected = false

    /// Creates a detector; parameters are validated.
    public init(warmStart: Int = 30, warningThreshold: Double = 2, driftThreshold: Double = 3) throws {
        guard warmStart >= 0 else { throw DriftError.invalidParameter("warm_start must be non-negative") }
        guard warningThreshold > 0, driftThreshold >= warningThreshold else {
            throw DriftError.invalidParameter("DDM needs 0 < warning_threshold ≤ drift_threshold")
        }
        self.warmStart = warmStart
        self.warningThreshold = warningThreshold
        self.driftThreshold = driftThreshold
    }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        p = RunningMean()
        pMin = 0
        sMin = 0
        psMin = .infinity
        driftDetected = false
        warningDetected = false
    }

    /// Feeds one outcome (1 = error).
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        p.update(x)
        let pi = p.mean
        let si = (pi * (1 - pi) / p.n).squareRoot()
        guard p.n > Double(warmStart) else { return }
        if pi + si <= psMin {
            pMin = pi
            sMin = si
            psMin = pMin + sMin
        }
        warningDetected = pi + si > pMin + warningThreshold * sMin
        if pi + si > pMin + driftThreshold * sMin {
            driftDetected = true
            warningDetected = false
        }
    }
}
