#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Distances between the empirical CDFs of two samples.
///
/// - Wasserstein-1: W₁ = ∫ |F₁(x) − F₂(x)| dx (Vallender 1974; the 1-D closed form).
/// - Energy distance: E = √2 · (∫ (F₁(x) − F₂(x))² dx)^{1/2} (Székely & Rizzo 2013, the CDF form),
///   the same normalisation as `scipy.stats.energy_distance`.
public enum CDFDistance {
    /// W₁ between two samples; non-finite values are dropped.
    public static func wasserstein(_ a: [Double], _ b: [Double]) throws -> Double {
        let (sa, sb) = Sorting.sortedFinite(a, b)
        return try integrate(sa, sb, power: 1)
    }

    /// W₁ divided by the population standard deviation of `reference`, floored at 0.001 (Evidently's
    /// `wasserstein` drift score).
    public static func normedWasserstein(reference: [Double], current: [Double]) throws -> Double {
        let ref = reference.filter { $0.isFinite }
        let w = try wasserstein(ref, current)
        return w / max(Moments.populationStandardDeviation(ref), 0.001)
    }

    /// Energy distance between two samples; non-finite values are dropped.
    public static func energy(_ a: [Double], _ b: [Double]) throws -> Double {
        let (sa, sb) = Sorting.sortedFinite(a, b)
        return 2.0.squareRoot() * (try integrate(sa, sb, power: 2)).squareRoot()
    }

    /// ∫ |F₁ − F₂|^power dx for sorted samples (power 1 or 2).
    public static func integrate(_ a: [Double], _ b: [Double], power: Int) throws -> Double {
        guard !a.isEmpty, !b.isEmpty else { throw DriftError.emptySample("CDF distance needs two non-empty samples") }
        let n1 = Double(a.count)
        let n2 = Double(b.count)
        var i = 0
        var j = 0
        var total = 0.0
        var previous: Double? = nil
        while i < a.count || j < b.count {
            let v: Double
            if j >= b.count || (i < a.count && a[i] <= b[j]) { v = a[i] } else { v = b[j] }
            if let p = previous {
                let diff = abs(Double(i) / n1 - Double(j) / n2)
                total += (power == 1 ? diff : diff * diff) * (v - p)
            }
            while i < a.count && a[i] <= v { i += 1 }
            while j < b.count && b[j] <= v { j += 1 }
            previous = v
        }
        return total
    }
}

/// Mean and variance helpers (two-pass, numerically stable).
public enum Moments {
    /// Arithmetic mean.
    public static func mean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var s = 0.0
        for v in x { s += v }
        return s / Double(x.count)
    }

    /// Variance with `ddof` degrees of freedom removed (0: population, 1: sample).
    public static func variance(_ x: [Double], ddof: Int = 0) -> Double {
        guard x.count > ddof else { return .nan }
        let m = mean(x)
        var s = 0.0
        for v in x { s += (v - m) * (v - m) }
        return s / Double(x.count - ddof)
    }

    /// Population standard deviation (numpy's `np.std` default).
    public static func populationStandardDeviation(_ x: [Double]) -> Double { variance(x, ddof: 0).squareRoot() }
}
