#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// HDDM_W, drift detection with McDiarmid bounds on exponentially weighted moving averages (Frías-Blanco
/// et al., IEEE TKDE 27(3), 2015, method W). Each EWMA with weight λ carries its bound coefficient
/// c ← λ² + (1 − λ)²·c; the cut is placed where EWMA + ε is lowest, and a later EWMA exceeding the cut's
/// by ε = √(Σc · ln(1/conf)/2) is a drift or a warning. river 0.26.1's defaults; each EWMA starts at its
/// first value.
public struct HDDMW: DriftDetector {
    /// Confidence of the drift bound.
    public let driftConfidence: Double
    /// Confidence of the warning bound.
    public let warningConfidence: Double
    /// EWMA weight λ.
    public let lambda: Double
    /// Whether decreases are also detected.
    public let twoSided: Bool

    struct Sample: Sendable {
        var ewma = 0.0
        var isInitialized = false
        var ibc = 1.0

        mutating func update(_ x: Double, lambda: Double) {
            ewma = isInitialized ? lambda * x + (1 - lambda) * ewma : x
            isInitialized = true
            ibc = lambda * lambda + (1 - lambda) * (1 - lambda) * ibc
        }
    }

    private var total = Sample()
    private var s1Decrease = Sample()
    private var s1Increase = Sample()
    private var s2Decrease = Sample()
    private var s2Increase = Sample()
    private var increaseCut = Double.infinity
    private var decreaseCut = -Double.infinity
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false
    /// Whether the latest update signalled a warning.
    public private(set) var warningDetected = false

    /// Creates a detector; parameters are validated.
    public init(
        driftConfidence: Double = 0.001, warningConfidence: Double = 0.005, lambda: Double = 0.05,
        twoSided: Bool = false
    ) throws {
        guard driftConfidence > 0, driftConfidence < 1, warningConfidence > 0, warningConfidence < 1 else {
            throw DriftError.invalidParameter("HDDM_W confidences must be in (0, 1)")
        }
        guard lambda > 0, lambda <= 1 else { throw DriftError.invalidParameter("HDDM_W lambda must be in (0, 1]") }
        self.driftConfidence = driftConfidence
        self.warningConfidence = warningConfidence
        self.lambda = lambda
        self.twoSided = twoSided
    }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        total = Sample()
        s1Decrease = Sample()
        s1Increase = Sample()
        s2Decrease = Sample()
        s2Increase = Sample()
        increaseCut = .infinity
        decreaseCut = -.infinity
        driftDetected = false
        warningDetected = false
    }

    private func mcDiarmid(_ ibc: Double, _ confidence: Double) -> Double {
        (ibc * log(1 / confidence) / 2).squareRoot()
    }

    private func changed(_ first: Sample, _ second: Sample, _ confidence: Double) -> Bool {
        guard first.isInitialized && second.isInitialized else { return false }
        return second.ewma - first.ewma > mcDiarmid(first.ibc + second.ibc, confidence)
    }

    /// Feeds one outcome (1 = error).
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        total.update(x, lambda: lambda)
        let epsIncrease = mcDiarmid(total.ibc, driftConfidence)
        if total.ewma + epsIncrease < increaseCut {
            increaseCut = total.ewma + epsIncrease
            s1Increase = total
            s2Increase = Sample()
        } else {
            s2Increase.update(x, lambda: lambda)
        }
        if changed(s1Increase, s2Increase, driftConfidence) {
            warningDetected = false
            driftDetected = true
        } else if changed(s1Increase, s2Increase, warningConfidence) {
            warningDetected = true
            driftDetected = false
        } else {
            warningDetected = false
            driftDetected = false
        }
        let epsDecrease = mcDiarmid(total.ibc, driftConfidence)
        if total.ewma - epsDecrease > decreaseCut {
            decreaseCut = total.ewma - epsDecrease
            s1Decrease = total
            s2Decrease = Sample()
        } else {
            s2Decrease.update(x, lambda: lambda)
        }
        if twoSided {
            if changed(s2Decrease, s1Decrease, driftConfidence) {
                driftDetected = true
            } else if changed(s2Decrease, s1Decrease, warningConfidence) {
                warningDetected = true
            }
        }
    }
}
