#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The k-sample Anderson–Darling test (Scholz & Stephens, "K-Sample Anderson-Darling Tests", JASA 82, 1987),
/// midrank version A²_akN for data with ties, standardised and turned into a p-value by the quadratic
/// interpolation of log significance on the tabulated critical values. As in `scipy.stats.anderson_ksamp`,
/// the p-value is capped at 0.25 and floored at 0.001.
public enum AndersonDarling {
    static let b0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085]
    static let b1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615]
    static let b2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]
    static let significance = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]

    /// Runs the test on k ≥ 2 samples; `statistic` is the standardised A², `pValue` the interpolated p.
    public static func kSample(_ samples: [[Double]]) throws -> TestResult {
        let s = samples.map { $0.filter { $0.isFinite }.sorted() }
        let k = s.count
        guard k >= 2 else { throw DriftError.notEnoughData("Anderson-Darling needs at least two samples") }
        guard s.allSatisfy({ !$0.isEmpty }) else {
            throw DriftError.emptySample("Anderson-Darling sample without observations")
        }
        let z = s.flatMap { $0 }.sorted()
        let bigN = z.count
        var distinct: [Double] = []
        for v in z where distinct.last != v { distinct.append(v) }
        guard distinct.count >= 2 else {
            throw DriftError.notEnoughData("Anderson-Darling needs more than one distinct value")
        }
        let nD = Double(bigN)
        // Per distinct value: l_j (multiplicity) and B_j = (#values < z_j) + l_j/2.
        var lj = [Double](repeating: 0, count: distinct.count)
        var bj = [Double](repeating: 0, count: distinct.count)
        var pos = 0
        for (j, v) in distinct.enumerated() {
            let start = pos
            while pos < z.count && z[pos] == v { pos += 1 }
            lj[j] = bigN == distinct.count ? 1 : Double(pos - start)
            bj[j] = Double(start) + lj[j] / 2
        }
        var a2 = 0.0
        for sample in s {
            let ni = Double(sample.count)
            var inner = 0.0
            var p = 0
            for (j, v) in distinct.enumerated() {
                let start = p
                while p < sample.count && sample[p] < v { p += 1 }
                var left = p
                _ = start
                while left < sample.count && sample[left] == v { left += 1 }
                let mij = Double(left) - Double(left - p) / 2
                let num = nD * mij - bj[j] * ni
                inner += lj[j] / nD * num * num / (bj[j] * (nD - bj[j]) - nD * lj[j] / 4)
            }
            a2 += inner / ni
        }
        a2 *= (nD - 1) / nD
        // Variance of A² under the null (Scholz & Stephens eq. 4).
        var hInv = 0.0
        for sample in s { hInv += 1 / Double(sample.count) }
        var partial: [Double] = []
        var running = 0.0
        if bigN - 1 >= 2 {
            for i in stride(from: bigN - 1, through: 2, by: -1) {
                running += 1 / Double(i)
                partial.append(running)
            }
        }
        let h = (partial.last ?? 0) + 1
        var g = 0.0
        for (idx, value) in partial.enumerated() { g += value / Double(idx + 2) }
        let kd = Double(k)
        let a = (4 * g - 6) * (kd - 1) + (10 - 6 * g) * hInv
        let b = (2 * g - 4) * kd * kd + 8 * h * kd + (2 * g - 14 * h - 4) * hInv - 8 * h + 4 * g - 6
        let c = (6 * h + 2 * g - 2) * kd * kd + (4 * h - 4 * g + 6) * kd + (2 * h - 6) * hInv + 4 * h
        let d = (2 * h + 6) * kd * kd - 4 * h * kd
        let sigma2 = (a * nD * nD * nD + b * nD * nD + c * nD + d) / ((nD - 1) * (nD - 2) * (nD - 3))
        let m = kd - 1
        let standardized = (a2 - m) / sigma2.squareRoot()
        let critical = (0..<7).map { b0[$0] + b1[$0] / m.squareRoot() + b2[$0] / m }
        let p: Double
        if standardized < critical.min()! {
            p = 0.25
        } else if standardized > critical.max()! {
            p = 0.001
        } else {
            let coefficients = quadraticFit(x: critical, y: significance.map { log($0) })
            p = exp(coefficients.0 * standardized * standardized + coefficients.1 * standardized + coefficients.2)
        }
        return TestResult(statistic: standardized, pValue: p)
    }

    /// Least-squares fit y ≈ a·x² + b·x + c by Householder QR on the centred design.
    static func quadraticFit(x: [Double], y: [Double]) -> (Double, Double, Double) {
        // Normal equations in the centred variable u = x − mean(x), solved with Gaussian elimination
        // in extended precision-friendly form; the design is small (7 × 3) and well conditioned once centred.
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        var s = [Double](repeating: 0, count: 5)
        var t = [Double](repeating: 0, count: 3)
        for i in x.indices {
            let u = x[i] - mx
            var pw = 1.0
            for k in 0..<5 {
                s[k] += pw
                if k < 3 { t[k] += pw * y[i] }
                pw *= u
            }
        }
        var m = [[s[0], s[1], s[2], t[0]], [s[1], s[2], s[3], t[1]], [s[2], s[3], s[4], t[2]]]
        for col in 0..<3 {
            let pivot = (col..<3).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            for r in 0..<3 where r != col {
                let f = m[r][col] / m[col][col]
                for k in col..<4 { m[r][k] -= f * m[col][k] }
            }
        }
        let c0 = m[0][3] / m[0][0]
        let c1 = m[1][3] / m[1][1]
        let c2 = m[2][3] / m[2][2]
        // y = c0 + c1·u + c2·u², u = x − mx.
        return (c2, c1 - 2 * c2 * mx, c0 - c1 * mx + c2 * mx * mx)
    }
}
