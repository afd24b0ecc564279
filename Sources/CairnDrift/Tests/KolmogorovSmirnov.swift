#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two-sample Kolmogorov–Smirnov test.
///
/// D = sup_x |F₁(x) − F₂(x)| over the empirical CDFs. With `.auto` the p-value is exact when both samples
/// have at most 10 000 values (lattice-path counting: Hodges 1958, with the 1 − p recursion of Viehmann,
/// arXiv:2102.08037, and the closed form for equal sizes), otherwise the two-sided Kolmogorov distribution
/// with n = round(n₁n₂/(n₁+n₂)) (see ``KolmogorovDistribution``). This reproduces
/// `scipy.stats.ks_2samp(method='auto')`.
///
/// ```swift
/// let r = try KolmogorovSmirnov.test(reference, current)
/// if r.pValue! <= 0.05 { print("drift, D =", r.statistic) }
/// ```
public enum KolmogorovSmirnov {
    /// How the p-value is computed.
    public enum Method: String, Sendable, Codable {
        /// Exact when max(n₁, n₂) ≤ 10 000, asymptotic otherwise.
        case auto
        /// Exact lattice-path probability (falls back to asymptotic when it cannot be computed).
        case exact
        /// The Kolmogorov distribution at the effective sample size.
        case asymptotic
    }

    /// Largest sample size for which `.auto` uses the exact distribution.
    public static let maxExactSize = 10_000

    /// Runs the two-sided test on two samples; non-finite values are dropped.
    public static func test(_ a: [Double], _ b: [Double], method: Method = .auto) throws -> TestResult {
        let (sa, sb) = Sorting.sortedFinite(a, b)
        return try sa.withUnsafeBufferPointer { pa in
            try sb.withUnsafeBufferPointer { pb in try testSorted(pa, pb, method: method) }
        }
    }

    /// Runs the two-sided test on two samples that are already sorted ascending and finite.
    public static func testSorted(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, method: Method = .auto
    ) throws -> TestResult {
        guard !a.isEmpty, !b.isEmpty else {
            throw DriftError.emptySample("Kolmogorov-Smirnov needs two non-empty samples")
        }
        let d = statistic(a, b)
        return TestResult(
            statistic: d.statistic, pValue: pValue(d: d.statistic, n1: a.count, n2: b.count, method: method).p)
    }

    /// The statistic D for sorted samples.
    public static func statistic(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>
    ) -> (statistic: Double, maxPositive: Double, maxNegative: Double) {
        let n1 = Double(a.count)
        let n2 = Double(b.count)
        var i = 0
        var j = 0
        var maxPos = -Double.infinity
        var minDiff = Double.infinity
        while i < a.count || j < b.count {
            let v: Double
            if j >= b.count || (i < a.count && a[i] <= b[j]) { v = a[i] } else { v = b[j] }
            while i < a.count && a[i] <= v { i += 1 }
            while j < b.count && b[j] <= v { j += 1 }
            let diff = Double(i) / n1 - Double(j) / n2
            if diff > maxPos { maxPos = diff }
            if diff < minDiff { minDiff = diff }
        }
        let minS = min(max(-minDiff, 0), 1)
        return (max(minS, maxPos), maxPos, minS)
    }

    /// The two-sided p-value for statistic `d` with sample sizes `n1`, `n2`; also returns the method used.
    public static func pValue(d: Double, n1: Int, n2: Int, method: Method = .auto) -> (p: Double, method: Method) {
        var mode = method
        let g = Sorting.gcd(n1, n2)
        if mode == .auto { mode = max(n1, n2) <= maxExactSize ? .exact : .asymptotic }
        if mode == .exact && Double(n1 / g) >= Double(Int32.max) / Double(n2 / g) { mode = .asymptotic }
        if mode == .exact, let p = exactPValue(d: d, n1: n1, n2: n2, g: g) {
            return (min(max(p, 0), 1), .exact)
        }
        let m = Double(max(n1, n2))
        let n = Double(min(n1, n2))
        let en = (m * n / (m + n)).rounded(.toNearestOrEven)
        return (KolmogorovDistribution.twoSidedSF(n: Int(en), d: d), .asymptotic)
    }

    /// Exact two-sided p-value, or `nil` when the computation is not reliable.
    static func exactPValue(d: Double, n1: Int, n2: Int, g: Int) -> Double? {
        let lcm = (n1 / g) * n2
        let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
        if h == 0 { return 1 }
        let p = n1 == n2 ? probOutsideSquare(n: n1, h: h) : outerProbInside(m: n1, n: n2, g: g, h: h)
        guard p.isFinite, p >= 0, p <= 1 else { return nil }
        return p
    }

    /// P(D ≥ h/n) for equal sizes n: 2·Σ_k (−1)^{k+1} C(2n, n−kh)/C(2n, n), evaluated Horner-style.
    static func probOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h { p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1) }
            p = p1 * (1 - p)
            k -= 1
        }
        return 2 * p
    }

    /// Share of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm(m,n),
    /// accumulated column by column as 1 − (inside share) over a sliding window.
    static func outerProbInside(m mIn: Int, n nIn: Int, g: Int, h: Int) -> Double {
        let m = max(mIn, nIn)
        let n = min(mIn, nIn)
        let mg = m / g
        let ng = n / g
        func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
        func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
        var minj = 0
        var maxj = min(ceilDiv(h, mg), n + 1)
        var curlen = maxj - minj
        let lenA = min(2 * maxj + 2, n + 1)
        var column = [Double](repeating: 1, count: lenA)
        for idx in minj..<maxj where idx < lenA { column[idx] = 0 }
        for i in 1...m {
            let lastminj = minj
            let lastlen = curlen
            minj = min(max(floorDiv(ng * i - h, mg) + 1, 0), n)
            maxj = min(ceilDiv(ng * i + h, mg), n + 1)
            if maxj <= minj { return 1 }
            var val = minj == 0 ? 0.0 : 1.0
            let di = Double(i)
            for jj in 0..<(maxj - minj) {
                let j = Double(jj + minj)
                val = (column[jj + minj - lastminj] * di + val * j) / (di + j)
                column[jj] = val
            }
            curlen = maxj - minj
            if lastlen > curlen {
                for idx in (maxj - minj)..<min(maxj - minj + lastlen - curlen, lenA) { column[idx] = 1 }
            }
        }
        return column[maxj - minj - 1]
    }
}
