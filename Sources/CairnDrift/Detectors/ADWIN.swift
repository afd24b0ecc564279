#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// ADWIN, adaptive windowing (Bifet & Gavaldà, "Learning from Time-Changing Data with Adaptive Windowing",
/// SDM 2007), in its ADWIN2 form: the window is kept as an exponential histogram of buckets, and every
/// `clock` updates each cut W = W₀·W₁ is tested for |μ₀ − μ₁| > ε_cut with
/// ε_cut = √(2·m·σ²_W·δ′) + (2/3)·δ′·m, m = 1/(n₀ − L + 1) + 1/(n₁ − L + 1), δ′ = ln(2·ln|W|/δ),
/// L = `minWindowLength`. The variance is maintained as in Babcock et al. (PODS 2003). On a detection the
/// oldest bucket is dropped and the cuts are tested again. Defaults and the order of arithmetic are
/// river 0.26.1's.
public struct ADWIN: DriftDetector {
    /// Confidence δ.
    public let delta: Double
    /// How often (in updates) cuts are tested.
    public let clock: Int
    /// Buckets kept per row before two are merged.
    public let maxBuckets: Int
    /// Minimum length of each sub-window.
    public let minWindowLength: Int
    /// Updates before the first test.
    public let gracePeriod: Int

    struct Row: Sendable {
        var totals: [Double] = []
        var variances: [Double] = []
    }

    private var rows: [Row] = [Row()]
    /// Sum of the values in the window.
    public private(set) var total = 0.0
    /// Sum of squared deviations in the window.
    public private(set) var variance = 0.0
    /// Number of values in the window.
    public private(set) var width = 0.0
    private var tick = 0
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false

    /// Creates a detector; parameters are validated.
    public init(
        delta: Double = 0.002, clock: Int = 32, maxBuckets: Int = 5, minWindowLength: Int = 5, gracePeriod: Int = 10
    )
        throws
    {
        guard delta > 0, delta < 1 else { throw DriftError.invalidParameter("ADWIN delta must be in (0, 1)") }
        guard clock >= 1, maxBuckets >= 1, minWindowLength >= 1, gracePeriod >= 0 else {
            throw DriftError.invalidParameter("ADWIN clock, max_buckets and min_window_length must be positive")
        }
        self.delta = delta
        self.clock = clock
        self.maxBuckets = maxBuckets
        self.minWindowLength = minWindowLength
        self.gracePeriod = gracePeriod
    }

    /// Mean of the current window.
    public var estimation: Double { width == 0 ? 0 : total / width }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        rows = [Row()]
        total = 0
        variance = 0
        width = 0
        tick = 0
        driftDetected = false
    }

    /// Feeds one value.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        insert(x)
        driftDetected = detectChange()
    }

    private mutating func insert(_ value: Double) {
        rows[0].totals.append(value)
        rows[0].variances.append(0)
        width += 1
        if width > 1 {
            let d = value - total / (width - 1)
            variance += (width - 1) * d * d / width
        }
        total += value
        compress()
    }

    private mutating func compress() {
        var idx = 0
        while rows[idx].totals.count == maxBuckets + 1 {
            let size = Double(1 << idx)
            let t0 = rows[idx].totals[0]
            let t1 = rows[idx].totals[1]
            let mu1 = t0 / size
            let mu2 = t1 / size
            let v12 = rows[idx].variances[0] + rows[idx].variances[1] + size * 0.5 * (mu1 - mu2) * (mu1 - mu2)
            if idx + 1 >= rows.count { rows.append(Row()) }
            rows[idx + 1].totals.append(t0 + t1)
            rows[idx + 1].variances.append(v12)
            rows[idx].totals.removeFirst(2)
            rows[idx].variances.removeFirst(2)
            if rows[idx + 1].totals.count <= maxBuckets { break }
            idx += 1
        }
    }

    private mutating func deleteOldest() {
        let last = rows.count - 1
        let n = Double(1 << last)
        let u = rows[last].totals[0]
        let v = rows[last].variances[0]
        let mu = u / n
        width -= n
        total -= u
        let muWindow = total / width
        variance -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width)
        rows[last].totals.removeFirst()
        rows[last].variances.removeFirst()
        if rows[last].totals.isEmpty { rows.removeLast() }
    }

    private mutating func detectChange() -> Bool {
        var change = false
        tick += 1
        guard tick % clock == 0, width > Double(gracePeriod) else { return false }
        let minLength = Double(minWindowLength)
        var reduce = true
        while reduce {
            reduce = false
            var n0 = 0.0
            var n1 = width
            var u0 = 0.0
            var u1 = total
            scan: for idx in stride(from: rows.count - 1, through: 0, by: -1) {
                let size = Double(1 << idx)
                let count = rows[idx].totals.count
                for k in 0..<count {
                    n0 += size
                    n1 -= size
                    let t = rows[idx].totals[k]
                    u0 += t
                    u1 -= t
                    if idx == 0 && k == count - 1 { break scan }
                    let deltaMean = u0 / n0 - u1 / n1
                    if n1 >= minLength && n0 >= minLength && cutExceeds(n0, n1, deltaMean) {
                        reduce = true
                        change = true
                        if width > 0 {
                            deleteOldest()
                            break scan
                        }
                    }
                }
            }
        }
        return change
    }

    private func cutExceeds(_ n0: Double, _ n1: Double, _ deltaMean: Double) -> Bool {
        let minLength = Double(minWindowLength)
        let deltaPrime = log(2 * log(width) / delta)
        let m = 1 / (n0 - minLength + 1) + 1 / (n1 - minLength + 1)
        let epsilon = (2 * m * (variance / width) * deltaPrime).squareRoot() + 2.0 / 3.0 * deltaPrime * m
        return abs(deltaMean) > epsilon
    }
}
