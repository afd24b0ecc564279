#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tests for a difference in location: Student/Welch t and Mann–Whitney U.
public enum LocationTests {
    /// Two-sample t-test, two-sided. `equalVariance: false` is Welch's test with Welch–Satterthwaite degrees
    /// of freedom (Welch 1947); `true` is Student's pooled test (Evidently's `t_test`). Matches
    /// `scipy.stats.ttest_ind`.
    public static func tTest(_ a: [Double], _ b: [Double], equalVariance: Bool = false) throws -> TestResult {
        let x = a.filter { $0.isFinite }
        let y = b.filter { $0.isFinite }
        guard x.count >= 2, y.count >= 2 else {
            throw DriftError.notEnoughData("t-test needs at least 2 values per sample")
        }
        let n1 = Double(x.count)
        let n2 = Double(y.count)
        let v1 = Moments.variance(x, ddof: 1)
        let v2 = Moments.variance(y, ddof: 1)
        let diff = Moments.mean(x) - Moments.mean(y)
        let df: Double
        let denom: Double
        if equalVariance {
            df = n1 + n2 - 2
            let sp = ((n1 - 1) * v1 + (n2 - 1) * v2) / df
            denom = (sp * (1 / n1 + 1 / n2)).squareRoot()
        } else {
            let s1 = v1 / n1
            let s2 = v2 / n2
            df = (s1 + s2) * (s1 + s2) / (s1 * s1 / (n1 - 1) + s2 * s2 / (n2 - 1))
            denom = (s1 + s2).squareRoot()
        }
        let t = diff / denom
        guard t.isFinite else { return TestResult(statistic: t, pValue: .nan) }
        return TestResult(statistic: t, pValue: min(2 * SpecialFunctions.studentTSF(abs(t), df: df), 1))
    }

    /// Mann–Whitney U test (Mann & Whitney 1947). U is the statistic of the first sample. Exact null
    /// distribution when both samples have at most 8 values and there are no ties, otherwise the normal
    /// approximation with tie correction and continuity correction, as `scipy.stats.mannwhitneyu`.
    public static func mannWhitneyU(_ a: [Double], _ b: [Double], alternative: Alternative = .twoSided) throws
        -> TestResult
    {
        let x = a.filter { $0.isFinite }
        let y = b.filter { $0.isFinite }
        guard !x.isEmpty, !y.isEmpty else { throw DriftError.emptySample("Mann-Whitney U needs two non-empty samples") }
        let n1 = x.count
        let n2 = y.count
        let (rx, _, ties) = Sorting.midRanks(x, y)
        var r1 = 0.0
        for r in rx { r1 += r }
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let (u, factor): (Double, Double)
        switch alternative {
        case .greater: (u, factor) = (u1, 1)
        case .less: (u, factor) = (u2, 1)
        case .twoSided: (u, factor) = (max(u1, u2), 2)
        }
        let hasTies = ties.contains { $0 > 1 }
        var p: Double
        if n1 <= 8 && n2 <= 8 && !hasTies {
            p = exactUSF(Int(u), n1, n2)
        } else {
            let n = Double(n1 + n2)
            var tieTerm = 0.0
            for t in ties where t > 1 { tieTerm += Double(t * t * t - t) }
            let s = (Double(n1 * n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            let z = (u - Double(n1 * n2) / 2 - 0.5) / s
            p = SpecialFunctions.normalSF(z)
        }
        p *= factor
        return TestResult(statistic: u1, pValue: min(max(p, 0), 1))
    }

    /// P(U ≥ u) under the null for sample sizes m, n, by counting rank arrangements.
    static func exactUSF(_ u: Int, _ m: Int, _ n: Int) -> Double {
        // freq[i][j][k]: arrangements of i values from sample 1 and j from sample 2 with U = k.
        let maxU = m * n
        var table = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: (m + 1) * (n + 1))
        for i in 0...m {
            for j in 0...n {
                var row = [Double](repeating: 0, count: maxU + 1)
                if i == 0 || j == 0 {
                    row[0] = 1
                } else {
                    let a = table[(i - 1) * (n + 1) + j]
                    let b = table[i * (n + 1) + (j - 1)]
                    for k in 0...maxU {
                        // The largest value belongs to sample 1: it exceeds all j values of sample 2.
                        if k >= j { row[k] += a[k - j] }
                        row[k] += b[k]
                    }
                }
                table[i * (n + 1) + j] = row
            }
        }
        let counts = table[m * (n + 1) + n]
        var total = 0.0
        var tail = 0.0
        for k in 0...maxU {
            total += counts[k]
            if k >= u { tail += counts[k] }
        }
        return tail / total
    }
}
