#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Special functions behind the p-values: normal, chi-square and Student t tails, the regularised
/// incomplete gamma and beta functions, and a scaled modified Bessel function of the second kind.
///
/// All are computed in `Double` with series or continued fractions (Numerical Recipes, 3rd ed., §6.2 and
/// §6.4) to a relative accuracy near 1e-14 away from the far tails.
public enum SpecialFunctions {
    /// ln Γ(x) for x > 0.
    @inlinable public static func logGamma(_ x: Double) -> Double { lgamma(x) }

    /// Upper tail of the standard normal distribution, P(Z > z) = erfc(z/√2)/2.
    @inlinable public static func normalSF(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// Lower tail of the standard normal distribution, P(Z ≤ z).
    @inlinable public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Upper tail of the chi-square distribution with `df` degrees of freedom: Q(df/2, x/2).
    public static func chiSquareSF(_ x: Double, df: Double) -> Double {
        if x.isNaN || df <= 0 { return .nan }
        if x <= 0 { return 1 }
        if x.isInfinite { return 0 }
        return regularizedGammaQ(df / 2, x / 2)
    }

    /// Upper tail of Student's t distribution with `df` degrees of freedom, P(T > t).
    ///
    /// Uses P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2).
    public static func studentTSF(_ t: Double, df: Double) -> Double {
        if t.isNaN || df.isNaN || df <= 0 { return .nan }
        if t.isInfinite { return t > 0 ? 0 : 1 }
        let t2 = t * t
        let tail = regularizedBeta(x: df / (df + t2), oneMinusX: t2 / (df + t2), df / 2, 0.5)
        return t > 0 ? 0.5 * tail : 1 - 0.5 * tail
    }

    /// Regularised lower incomplete gamma function P(a, x).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x < a + 1 { return gammaSeries(a, x) }
        return 1 - gammaContinuedFraction(a, x)
    }

    /// Regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        if x < a + 1 { return 1 - gammaSeries(a, x) }
        return gammaContinuedFraction(a, x)
    }

    /// Series Σ xⁿ/(a(a+1)…(a+n)) for P(a, x), valid for x < a + 1.
    static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a
        var term = 1 / a
        var sum = term
        for _ in 0..<100_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Modified Lentz continued fraction for Q(a, x), valid for x ≥ a + 1.
    static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            i += 1
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }

    /// Regularised incomplete beta function I_x(a, b).
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        regularizedBeta(x: x, oneMinusX: 1 - x, a, b)
    }

    /// I_x(a, b) with 1 − x passed separately, so that x close to 1 keeps its precision.
    static func regularizedBeta(x: Double, oneMinusX y: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(y, b, a) / b
    }

    /// Lentz evaluation of the continued fraction for I_x(a, b).
    static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m < 100_000 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
            m += 1
        }
        return h
    }

    /// e^{−q}·K_ν(q), the exponentially scaled-down modified Bessel function of the second kind.
    ///
    /// Evaluated from K_ν(q) = ∫₀^∞ exp(−q·cosh t)·cosh(νt) dt with the trapezoid rule, which converges
    /// geometrically for this doubly-exponentially decaying analytic integrand.
    public static func besselKTimesExpMinus(nu: Double, _ q: Double) -> Double {
        if q <= 0 { return .infinity }
        let h = 0.01
        var sum = 0.5 * exp(-2 * q)
        var t = h
        while true {
            let f = exp(-q * (cosh(t) + 1)) * cosh(nu * t)
            sum += f
            if f < sum * 1e-18 { break }
            t += h
        }
        return sum * h
    }
}
