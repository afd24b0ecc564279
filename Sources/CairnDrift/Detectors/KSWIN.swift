/// KSWIN, Kolmogorov–Smirnov windowing (Raab, Heusinger & Schleif, "Reactive Soft Prototype Computing for
/// Concept Drift Streams", Neurocomputing 416, 2020): over a sliding window of `windowSize` values, the
/// newest `statSize` values are compared by a two-sample KS test with `statSize` values drawn without
/// replacement from the older part; drift when p ≤ α and D > 0.1. As in river, the next update after a drift
/// starts from an empty window.
///
/// The draw uses ``MersenneTwister`` seeded with `seed` (re-seeded at every reset), which reproduces river
/// 0.26.1's `random.Random(seed).sample`, so detection indices match river for the same seed.
public struct KSWIN: DriftDetector {
    /// Significance level α.
    public let alpha: Double
    /// Sliding window length.
    public let windowSize: Int
    /// Length of the compared sub-windows.
    public let statSize: Int
    /// Seed of the sampling generator.
    public let seed: UInt64

    private var window: [Double] = []
    private var rng: MersenneTwister
    /// p-value of the latest test.
    public private(set) var pValue = 0.0
    /// Whether the latest update signalled drift.
    public private(set) var driftDetected = false

    /// Creates a detector; parameters are validated.
    public init(alpha: Double = 0.005, windowSize: Int = 100, statSize: Int = 30, seed: UInt64 = 0) throws {
        guard alpha >= 0, alpha <= 1 else { throw DriftError.invalidParameter("KSWIN alpha must be in [0, 1]") }
        guard statSize >= 1, windowSize > statSize else {
            throw DriftError.invalidParameter("KSWIN needs 1 ≤ stat_size < window_size")
        }
        guard windowSize - statSize >= statSize else {
            throw DriftError.invalidParameter("KSWIN needs window_size ≥ 2·stat_size to draw the reference sample")
        }
        self.alpha = alpha
        self.windowSize = windowSize
        self.statSize = statSize
        self.seed = seed
        self.rng = MersenneTwister(seed: seed)
    }

    /// Returns the detector to its initial state.
    public mutating func reset() {
        window = []
        pValue = 0
        rng = MersenneTwister(seed: seed)
        driftDetected = false
    }

    /// Feeds one value.
    public mutating func update(_ x: Double) {
        if driftDetected { reset() }
        window.append(x)
        if window.count > windowSize { window.removeFirst(window.count - windowSize) }
        guard window.count >= windowSize else {
            driftDetected = false
            return
        }
        let picks = rng.sample(populationSize: windowSize - statSize, count: statSize)
        let older = picks.map { window[$0] }.sorted()
        let recent = Array(window[(windowSize - statSize)...]).sorted()
        let result = older.withUnsafeBufferPointer { a in
            recent.withUnsafeBufferPointer { b in
                (KolmogorovSmirnov.statistic(a, b).statistic, a.count, b.count)
            }
        }
        let (p, _) = KolmogorovSmirnov.pValue(d: result.0, n1: result.1, n2: result.2)
        pValue = p
        let g = Sorting.gcd(result.1, result.2)
        let lcm = Double(result.1 / g * result.2)
        let d = (result.0 * lcm).rounded(.toNearestOrEven) / lcm
        if p <= alpha && d > 0.1 {
            driftDetected = true
            window = Array(window[(windowSize - statSize)...])
        } else {
            driftDetected = false
        }
    }
}
