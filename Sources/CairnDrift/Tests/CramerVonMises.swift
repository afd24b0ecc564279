#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two-sample Cramér–von Mises test (Anderson, "On the Distribution of the Two-Sample Cramér-von Mises
/// Criterion", Ann. Math. Statist. 33, 1962).
///
/// T = U/(mn(m+n)) − (4mn − 1)/(6(m+n)) with U = mΣ(r_i − i)² + nΣ(s_j − j)² over mid-ranks. With `.auto` the
/// p-value is exact when max(m, n) ≤ 20 (the generating-function recursion of Xiao, Gordon & Yakovlev,
/// J. Stat. Softw. 17(8), 2006) and otherwise from the limiting one-sample distribution after Anderson's
/// standardisation, with the series of Csörgő & Faraway (1996, eq. 1.2) summed until a term is below 1e-7 —
/// the convention of `scipy.stats.cramervonmises_2samp`.
public enum CramerVonMises {
    /// Runs the test on two samples (non-finite values dropped; at least 2 values each).
    public static func twoSample(_ a: [Double], _ b: [Double]) throws -> TestResult {
        let x = a.filter { $0.isFinite }
        let y = b.filter { $0.isFinite }
        guard x.count >= 2, y.count >= 2 else {
            throw DriftError.notEnoughData("Cramér-von Mises needs at least 2 values per sample")
        }
        let nx = x.count
        let ny = y.count
        let (rxUnsorted, ryUnsorted, _) = Sorting.midRanks(x, y)
        let rx = rxUnsorted.sorted()
        let ry = ryUnsorted.sorted()
        var sx = 0.0
        for (i, r) in rx.enumerated() { sx += (r - Double(i + 1)) * (r - Double(i + 1)) }
        var sy = 0.0
        for (j, r) in ry.enumerated() { sy += (r - Double(j + 1)) * (r - Double(j + 1)) }
        let u = Double(nx) * sx + Double(ny) * sy
        let k = Double(nx * ny)
        let bigN = Double(nx + ny)
        let t = u / (k * bigN) - (4 * k - 1) / (6 * bigN)
        let p: Double
        if max(nx, ny) <= 20 {
            p = exactPValue(u: u, m: nx, n: ny)
        } else {
            let et = (1 + 1 / bigN) / 6
            var vt = (bigN + 1) * (4 * k * bigN - 3 * (Double(nx * nx) + Double(ny * ny)) - 2 * k)
            vt = vt / (45 * bigN * bigN * 4 * k)
            let tn = 1.0 / 6 + (t - et) / (45 * vt).squareRoot()
            p = tn < 0.003 ? 1 : max(1 - limitingCDF(tn), 0)
        }
        return TestResult(statistic: t, pValue: p)
    }

    /// CDF of the limiting Cramér–von Mises distribution (Csörgő & Faraway 1996, eq. 1.2).
    public static func limitingCDF(_ x: Double) -> Double {
        var total = 0.0
        var k = 0
        while true {
            let kd = Double(k)
            let u = exp(lgamma(kd + 0.5) - lgamma(kd + 1)) / (pow(Double.pi, 1.5) * x.squareRoot())
            let y = 4 * kd + 1
            let q = y * y / (16 * x)
            let term = u * y.squareRoot() * SpecialFunctions.besselKTimesExpMinus(nu: 0.25, q)
            total += term
            if abs(term) < 1e-7 { break }
            k += 1
        }
        return total
    }

    /// Exact P(U ≥ u) by propagating, along lattice paths from (0,0) to (m,n), the distribution of
    /// Σ (a·v − b·w)² with a = lcm/m, b = lcm/n.
    static func exactPValue(u: Double, m: Int, n: Int) -> Double {
        let g = Sorting.gcd(m, n)
        let lcm = m / g * n
        let a = lcm / m
        let b = lcm / n
        let mn = Double(m * n)
        let zeta = (Double(lcm * lcm * (m + n)) * (6 * u - mn * (4 * mn - 1)) / (6 * mn * mn)).rounded(.down)
        var columns: [[Int: Double]] = [[0: 1]] + [[Int: Double]](repeating: [:], count: m)
        for w in 0...n {
            var next: [[Int: Double]] = []
            var carried: [Int: Double] = [:]
            for v in 0...m {
                for (value, count) in columns[v] { carried[value, default: 0] += count }
                let add = (a * v - b * w) * (a * v - b * w)
                var shifted: [Int: Double] = [:]
                shifted.reserveCapacity(carried.count)
                for (value, count) in carried { shifted[value + add] = count }
                carried = shifted
                next.append(carried)
            }
            columns = next
        }
        var tail = 0.0
        var total = 0.0
        for (value, count) in columns[m] {
            total += count
            if Double(value) >= zeta { tail += count }
        }
        return tail / total
    }
}
