/// EDDM, the Early Drift Detection Method (Baena-García et al., "Early Drift Detection Method", 2006): it
/// tracks the mean p′ and standard deviation s′ of the distance between consecutive errors and the maximum
/// of p′ + 2s′; once more than `warmStart` errors were seen, a ratio (p′ + 2s′)/max below α is a warning
/// and below β a drift. river 0.26.1's defaults and update order.
public struct EDDM: DriftDetector {
    /// Observations and errors needed before detection.
    public let warmStart: Int
    /// Warning level.
    public let alpha: Double
    /// Drift level.
    public let beta: Double

    private var distanceMean = RunningMean()
    private var distanceS = 0.0
    private var n = 0
    private var lastError = 0
    private var errors = 0
    private var maxLevel = -1.0
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false
    /// Whether the latest update signalled a warning.
    public private(set) var warningDetected = false

    /// Creates a detector; parameters are validated.
    public init(warmStart: Int = 30, alpha: Double = 0.95, beta: Double = 0.9) throws {
        guard alpha >= beta else { throw DriftError.invalidParameter("EDDM alpha must be at least beta") }
        guard warmStart >= 0 else { throw DriftError.invalidParameter("warm_start must be non-negative") }
        self.warmStart = warmStart
        self.alpha = alpha
        self.beta = beta
    }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        distanceMean = RunningMean()
        distanceS = 0
        n = 0
        lastError = 0
        errors = 0
        maxLevel = -1
        driftDetected = false
        warningDetected = false
    }

    /// Feeds one outcome (1 = error).
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        n += 1
        guard x == 1 else { return }
        errors += 1
        let distance = Double(n - lastError)
        let old = distanceMean.mean
        distanceMean.update(distance)
        distanceS += (distance - old) * (distance - distanceMean.mean)
        if n > warmStart {
            let variance = distanceMean.n > 1 ? distanceS / (distanceMean.n - 1) : 0
            let level = distanceMean.mean + 2 * variance.squareRoot()
            if level > maxLevel {
                maxLevel = level
            } else if errors > warmStart {
                let ratio = level / maxLevel
                if ratio < beta {
                    driftDetected = true
                } else if ratio < alpha {
                    warningDetected = true
                } else {
                    warningDetected = false
                }
            }
        }
        lastError = n
    }
}
