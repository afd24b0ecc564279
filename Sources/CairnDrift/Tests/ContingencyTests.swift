#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Goodness-of-fit and contingency tests on category counts.
public enum ContingencyTests {
    /// Pearson's chi-square goodness-of-fit test: χ² = Σ (o − e)²/e with k − 1 degrees of freedom
    /// (Pearson 1900); `scipy.stats.chisquare`.
    public static func chiSquare(observed: [Double], expected: [Double]) -> TestResult {
        var stat = 0.0
        for i in observed.indices { stat += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i] }
        return TestResult(statistic: stat, pValue: SpecialFunctions.chiSquareSF(stat, df: Double(observed.count - 1)))
    }

    /// The G-test (log-likelihood ratio): G = 2Σ o·ln(o/e), k − 1 degrees of freedom (Sokal & Rohlf,
    /// Biometry, ch. 17); `scipy.stats.power_divergence(lambda_="log-likelihood")`.
    public static func gTest(observed: [Double], expected: [Double]) -> TestResult {
        var stat = 0.0
        for i in observed.indices where observed[i] > 0 { stat += observed[i] * log(observed[i] / expected[i]) }
        stat *= 2
        return TestResult(statistic: stat, pValue: SpecialFunctions.chiSquareSF(stat, df: Double(observed.count - 1)))
    }

    /// Evidently's chi-square drift test: over the union of categories, expected = reference counts scaled
    /// to the current size, observed = current counts. A category absent from the reference makes the
    /// statistic infinite and p = 0, which is the right verdict for an unseen category.
    public static func chiSquareDrift<T: Hashable & Comparable>(reference: [T], current: [T]) throws -> TestResult {
        let (obs, exp) = try observedExpected(reference: reference, current: current)
        return chiSquare(observed: obs, expected: exp)
    }

    /// The G-test in the same reference-vs-current layout as ``chiSquareDrift(reference:current:)``.
    public static func gTestDrift<T: Hashable & Comparable>(reference: [T], current: [T]) throws -> TestResult {
        let (obs, exp) = try observedExpected(reference: reference, current: current)
        return gTest(observed: obs, expected: exp)
    }

    static func observedExpected<T: Hashable & Comparable>(reference: [T], current: [T]) throws -> ([Double], [Double])
    {
        guard !reference.isEmpty, !current.isEmpty else {
            throw DriftError.emptySample("a category test needs two non-empty samples")
        }
        let r = Binning.counts(reference)
        let c = Binning.counts(current)
        let keys = Array(Set(r.keys).union(c.keys)).sorted()
        let scale = Double(current.count) / Double(reference.count)
        return (keys.map { Double(c[$0, default: 0]) }, keys.map { Double(r[$0, default: 0]) * scale })
    }

    /// Two-proportion pooled Z-test on the share of the first category in sorted order (Evidently's `z`):
    /// z = (p₁ − p₂)/√(p̂(1 − p̂)(1/n₁ + 1/n₂)), two-sided normal p-value; p = 1 when both samples hold
    /// one identical value.
    public static func proportionZTest<T: Hashable & Comparable>(reference: [T], current: [T]) throws -> TestResult {
        guard !reference.isEmpty, !current.isEmpty else {
            throw DriftError.emptySample("Z-test needs two non-empty samples")
        }
        let keys = Set(reference).union(current).sorted()
        if keys.count == 1 { return TestResult(statistic: 0, pValue: 1) }
        let first = keys[0]
        let x1 = Double(reference.filter { $0 == first }.count)
        let x2 = Double(current.filter { $0 == first }.count)
        return proportionZTest(successes1: x1, n1: Double(reference.count), successes2: x2, n2: Double(current.count))
    }

    /// Pooled two-proportion Z-test from counts.
    public static func proportionZTest(successes1: Double, n1: Double, successes2: Double, n2: Double) -> TestResult {
        let p1 = successes1 / n1
        let p2 = successes2 / n2
        let pooled = (successes1 + successes2) / (n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        if se == 0 { return TestResult(statistic: 0, pValue: 1) }
        let z = (p1 - p2) / se
        return TestResult(statistic: z, pValue: 2 * SpecialFunctions.normalSF(abs(z)))
    }

    /// Fisher's exact test on the 2×2 table [[a, b], [c, d]] (Fisher 1922). The two-sided p-value sums the
    /// hypergeometric probabilities no larger than that of the observed table (relative slack 10⁻¹⁴).
    public static func fisherExact(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> TestResult {
        let odds: Double = (b > 0 && c > 0) ? Double(a * d) / Double(b * c) : .infinity
        let row1 = a + b
        let col1 = a + c
        let total = a + b + c + d
        if row1 == 0 || c + d == 0 || col1 == 0 || b + d == 0 { return TestResult(statistic: .nan, pValue: 1) }
        let lo = max(0, col1 - (c + d))
        let hi = min(row1, col1)
        func logPMF(_ k: Int) -> Double {
            logChoose(row1, k) + logChoose(total - row1, col1 - k) - logChoose(total, col1)
        }
        let observed = logPMF(a)
        let mode = Int(Double((col1 + 1) * (row1 + 1)) / Double(total + 2))
        let modeP = exp(logPMF(mode))
        let exactP = exp(observed)
        if abs(exactP - modeP) / max(exactP, modeP) <= 1e-14 { return TestResult(statistic: odds, pValue: 1) }
        let limit = exactP * (1 + 1e-14)
        var p = 0.0
        for k in lo...hi {
            let pk = exp(logPMF(k))
            if pk <= limit { p += pk }
        }
        return TestResult(statistic: odds, pValue: min(p, 1))
    }

    /// ln C(n, k).
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
