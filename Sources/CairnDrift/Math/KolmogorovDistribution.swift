#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tail probabilities of the finite-sample Kolmogorov–Smirnov distributions.
///
/// The two-sided survival function follows the method selection of Simard & L'Ecuyer, "Computing the
/// Two-Sided Kolmogorov-Smirnov Distribution", J. Stat. Softw. 39(11), 2011: Ruben–Gambino closed forms at
/// the edges, the Durbin matrix (Marsaglia, Tsang & Wang 2003) and Pomeranz (1974) recursions for small
/// n, twice the one-sided Smirnov tail (Birnbaum & Tingey 1951) in the far tail, and the Pelz–Good (1976)
/// asymptotic series for large n. This is the selection scipy's `kstwo` makes, so p-values agree with it.
public enum KolmogorovDistribution {
    /// P(D_n ≥ d) for the two-sided one-sample statistic with sample size `n`.
    public static func twoSidedSF(n: Int, d x: Double) -> Double {
        if n <= 0 || x.isNaN { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {
            if t <= 0.5 { return 1 }
            let cdf: Double
            if n <= 140 {
                var prob = 1.0
                for i in 1...n { prob *= Double(i) * (1 / nd) * (2 * t - 1) }
                cdf = prob
            } else {
                cdf = exp(logFactorialOverPower(n) + nd * log(2 * t - 1))
            }
            return clip(1 - cdf)
        }
        if t >= nd - 1 { return clip(2 * pow(1 - x, nd)) }
        if x >= 0.5 { return clip(2 * smirnovSF(n: n, d: x)) }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 0.754693 { return clip(1 - durbinMatrixCDF(n: n, d: x)) }
            if nxSquared <= 4 { return clip(1 - pomeranzCDF(n: n, d: x)) }
            return clip(2 * smirnovSF(n: n, d: x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clip(2 * smirnovSF(n: n, d: x)) }
        let cdf: Double
        if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
            cdf = durbinMatrixCDF(n: n, d: x)
        } else {
            cdf = pelzGoodCDF(n: n, d: x)
        }
        return clip(1 - cdf)
    }

    static func clip(_ p: Double) -> Double { min(max(p, 0), 1) }

    /// ln(n!/nⁿ) from Stirling's series.
    static func logFactorialOverPower(_ n: Int) -> Double {
        let coefficients = [
            -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
            8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
            -2.7777777777777777778e-3, 8.3333333333333333333e-2,
        ]
        let nd = Double(n)
        let rn = 1 / nd
        let z = rn / nd
        var poly = 0.0
        for c in coefficients { poly = poly * z + c }
        return log(nd) / 2 - nd + log(2 * Double.pi) / 2 + rn * poly
    }

    /// One-sided Smirnov tail P(D⁺_n ≥ x) by the Birnbaum–Tingey sum
    /// x·Σ_{j=0}^{⌊n(1−x)⌋} C(n,j)(1 − x − j/n)^{n−j}(x + j/n)^{j−1}, with terms in log space.
    public static func smirnovSF(n: Int, d x: Double) -> Double {
        if n <= 0 || x.isNaN || x < 0 || x > 1 { return .nan }
        if n == 1 { return x }
        if x == 0 { return 1 }
        if x == 1 { return 0 }
        let nd = Double(n)
        // floor(n·x) and its remainder from the exact product hi + lo (fused multiply-add).
        let hi = nd * x
        let lo = (-hi).addingProduct(nd, x)
        var nxFloor = Int(hi.rounded(.down))
        var alpha = (hi - Double(nxFloor)) + lo
        if alpha < 0 {
            nxFloor -= 1
            alpha += 1
        }
        if alpha >= 1 {
            nxFloor += 1
            alpha = 0
        }
        if nxFloor == 0 || (nxFloor == 1 && alpha == 0) {
            return 1 - x * pow(1 + x, nd - 1)
        }
        if -2 * nd * x * x < -708.3964185322641 { return 0 }
        if nxFloor >= n - 1 { return pow(1 - x, nd) }
        if n > 1_000_000 {
            let logp = -pow(6 * nd * x + 1, 2) / 18 / nd
            return logp < -log(2.0) ? exp(logp) : 1 + expm1(logp)
        }
        // Terms j = 0 … n − ⌊nx⌋ − 1 (the last one is dropped when nx is an integer, where it vanishes).
        let lastJ = n - nxFloor - 1
        var sum = exp(nd * log1p(-x)) / x
        var compensation = 0.0
        // C(n, j) kept as mantissa · 2^exponent so that 10⁵ updates stay accurate to ~1e-11.
        var mantissa = 1.0
        var exponent = 0
        let ln2 = 0.693_147_180_559_945_3
        let eps = Double.ulpOfOne
        if lastJ >= 1 {
            for j in 1...lastJ {
                mantissa *= Double(n - j + 1) / Double(j)
                let e = mantissa.exponent
                mantissa = Double(sign: .plus, exponent: 0, significand: mantissa.significand)
                exponent += Int(e)
                let jd = Double(j)
                let b = jd / nd + x
                guard b < 1 else { break }
                let logTerm = log(mantissa) + Double(exponent) * ln2 + (nd - jd) * log1p(-b) + (jd - 1) * log(b)
                let term = exp(logTerm)
                let y = term - compensation
                let t = sum + y
                compensation = (t - sum) - y
                sum = t
                if term != 0 {
                    if 4 * Double(lastJ + 1 - j) * term < eps * sum && j != lastJ { break }
                } else if j > n / 2 {
                    break
                }
            }
        }
        return min(max(x * sum, 0), 1)
    }

    /// Pr(D_n < d) by the Durbin matrix method in the Marsaglia–Tsang–Wang formulation.
    static func durbinMatrixCDF(n: Int, d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var fac = 1.0
        for j in 1...m {
            w[j - 1] = fac
            fac /= Double(j)
            v[j - 1] = (1 - pow(h, Double(j))) * fac
        }
        let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + tt) * fac
        var H = [Double](repeating: 0, count: m * m)
        for i in 1..<max(m, 1) {
            for r in (i - 1)..<m { H[r * m + i] = w[r - (i - 1)] }
        }
        for r in 0..<m { H[r * m] = v[r] }
        for c in 0..<m { H[(m - 1) * m + c] = v[m - 1 - c] }
        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        let scale = 0x1p128
        var nn = n
        var exponent = 0
        var hExponent = 0
        while nn > 0 {
            if nn % 2 == 1 {
                power = multiply(power, H, m)
                exponent += hExponent
            }
            H = multiply(H, H, m)
            hExponent *= 2
            if abs(H[(k - 1) * m + (k - 1)]) > scale {
                for i in 0..<(m * m) { H[i] /= scale }
                hExponent += 128
            }
            nn /= 2
        }
        var p = power[(k - 1) * m + (k - 1)]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < 0x1p-128 {
                p *= scale
                exponent -= 128
            }
        }
        if exponent != 0 { p = scalbn(p, Int32(exponent)) }
        return clip(p)
    }

    static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for k in 0..<m {
                let aik = a[i * m + k]
                if aik == 0 { continue }
                for j in 0..<m { c[i * m + j] += aik * b[k * m + j] }
            }
        }
        return c
    }

    /// Pr(D_n < d) by Pomeranz's recursion.
    static func pomeranzCDF(n: Int, d x: Double) -> Double {
        let t = Double(n) * x
        let ll = Int(t.rounded(.down))
        let f = t - Double(ll)
        let g = min(f, 1 - f)
        let ceilf = f > 0 ? 1 : 0
        let roundf = f > 0.5 ? 1 : 0
        let npwrs = 2 * (ll + 1)
        var gpower = [Double](repeating: 1, count: npwrs)
        var twogpower = [Double](repeating: 1, count: npwrs)
        var onem2gpower = [Double](repeating: 1, count: npwrs)
        let nd = Double(n)
        for m in 1..<npwrs {
            gpower[m] = gpower[m - 1] * (g / nd) / Double(m)
            twogpower[m] = twogpower[m - 1] * (2 * g / nd) / Double(m)
            onem2gpower[m] = onem2gpower[m - 1] * ((1 - 2 * g) / nd) / Double(m)
        }
        var v0 = [Double](repeating: 0, count: npwrs)
        var v1 = [Double](repeating: 0, count: npwrs)
        v1[0] = 1
        var v0s = 0
        var v1s = 0
        var exponent = 0
        func bounds(_ i: Int) -> (Int, Int) {
            var j1: Int
            var j2: Int
            if i == 0 {
                j1 = -ll - ceilf - 1
                j2 = ll + ceilf - 1
            } else {
                let half = (i + 1) / 2
                if (i + 1) % 2 == 0 {
                    if half == n + 1 {
                        j1 = n - ll - ceilf - 1
                        j2 = n + ll + ceilf - 1
                    } else {
                        j1 = half - 1 - ll - roundf - 1
                        j2 = half + ll - 1 + ceilf - 1
                    }
                } else {
                    j1 = half - 1 - ll - 1
                    j2 = half + ll + roundf - 1
                }
            }
            return (max(j1 + 2, 0), min(j2, n))
        }
        var (j1, j2) = bounds(0)
        for i in 1...(2 * n + 1) {
            let k1 = j1
            swap(&v0, &v1)
            swap(&v0s, &v1s)
            for idx in 0..<npwrs { v1[idx] = 0 }
            (j1, j2) = bounds(i)
            let pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower)
            let ln2 = j2 - k1 + 1
            if ln2 > 0 {
                let start = k1 - v0s
                let aLen = max(0, min(npwrs, start + ln2) - start)
                let bLen = min(ln2, npwrs)
                let convStart = j1 - k1
                let convLen = j2 - j1 + 1
                var maxValue = 0.0
                if convLen > 0 {
                    for out in 0..<convLen {
                        let idx = convStart + out
                        var acc = 0.0
                        let lo = max(0, idx - (bLen - 1))
                        let hi = min(aLen - 1, idx)
                        if lo <= hi {
                            for a in lo...hi { acc += v0[start + a] * pwrs[idx - a] }
                        }
                        v1[out] = acc
                        maxValue = max(maxValue, acc)
                    }
                }
                if maxValue > 0 && maxValue < 0x1p-128 {
                    for idx in 0..<npwrs { v1[idx] *= 0x1p128 }
                    exponent -= 128
                }
                v1s = v0s + j1 - k1
            }
        }
        var answer = v1[n - v1s]
        for m in 1...n {
            if abs(answer) > 0x1p128 {
                answer *= 0x1p-128
                exponent += 128
            }
            answer *= Double(m)
        }
        if exponent != 0 { answer = scalbn(answer, Int32(exponent)) }
        return clip(answer)
    }

    /// Pelz–Good asymptotic expansion of Pr(D_n ≤ x) in powers of n^{−1/2}.
    static func pelzGoodCDF(n: Int, d x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let nd = Double(n)
        let z = nd.squareRoot() * x
        let z2 = z * z
        let z3 = z2 * z
        let z4 = z2 * z2
        let z6 = z4 * z2
        let pi2 = Double.pi * Double.pi
        let pi4 = pi2 * pi2
        let pi6 = pi4 * pi2
        let qlog = -pi2 / 8 / z2
        if qlog < -708 { return 0 }
        var q = exp(qlog)
        let k1a = -z2
        let k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4
        let k2b = (2 * z4 - 5 * z2) * pi2 / 4
        let k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64
        let k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * pow(z, 8)
        var k = [0.0, 0.0, 0.0, 0.0]
        let maxk = Int((16 * z / Double.pi).rounded(.up))
        if maxk >= 1 {
            for kk in stride(from: maxk, through: 1, by: -1) {
                let m = Double(2 * kk - 1)
                let m2 = m * m
                let m4 = m2 * m2
                let m6 = m4 * m2
                let qpower = pow(q, Double(8 * kk))
                let coeffs = [
                    1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6,
                ]
                for i in 0..<4 { k[i] = k[i] * qpower + coeffs[i] }
            }
        }
        let sqrt2pi = (2 * Double.pi).squareRoot()
        let denominators = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for i in 0..<4 { k[i] = k[i] * q * sqrt2pi / denominators[i] }
        q = exp(-pi2 / 2 / z2)
        var k2extra = 0.0
        var k3extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        if maxk >= 1 {
            for kk in stride(from: maxk, through: 1, by: -1) {
                let ks = Double(kk)
                let qp = pow(q, ks * ks)
                k2extra += ks * ks * qp
                let kspi = Double.pi * ks
                k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks * ks * qp
            }
        }
        k[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
        k[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
        for i in 0..<4 { k[i] /= pow(nd, Double(i) / 2) }
        return k[0] + k[1] + k[2] + k[3]
    }
}
