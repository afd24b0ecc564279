#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Distances between two discrete distributions given as aligned share vectors (reference, current).
///
/// Which vectors are passed (zero-filled or not) is the caller's choice; ``ColumnDriftTest`` applies
/// Evidently's conventions.
public enum Divergences {
    /// Population Stability Index, Σ (r − c)·ln(r/c) (Yurdakul 2018, "Statistical properties of population
    /// stability index"). Needs strictly positive shares: pass zero-filled vectors.
    public static func psi(reference r: [Double], current c: [Double]) -> Double {
        var s = 0.0
        for i in r.indices { s += (r[i] - c[i]) * log(r[i] / c[i]) }
        return s
    }

    /// Kullback–Leibler divergence KL(r‖c) = Σ r·ln(r/c) after normalising both vectors to sum 1
    /// (the convention of `scipy.stats.entropy`).
    public static func kullbackLeibler(reference r: [Double], current c: [Double]) -> Double {
        let p = normalized(r)
        let q = normalized(c)
        var s = 0.0
        for i in p.indices where p[i] > 0 {
            s += q[i] > 0 ? p[i] * log(p[i] / q[i]) : .infinity
        }
        return s
    }

    /// Jensen–Shannon distance √(½KL(p‖m) + ½KL(q‖m)), m = (p+q)/2, natural log, after normalising
    /// (Endres & Schindelin 2003). Ranges over [0, √ln 2].
    public static func jensenShannon(reference r: [Double], current c: [Double]) -> Double {
        let p = normalized(r)
        let q = normalized(c)
        var s = 0.0
        for i in p.indices {
            let m = (p[i] + q[i]) / 2
            if p[i] > 0 { s += p[i] * log(p[i] / m) }
            if q[i] > 0 { s += q[i] * log(q[i] / m) }
        }
        return (max(s, 0) / 2).squareRoot()
    }

    /// Hellinger distance √(1 − Σ√(p·q)) between two probability vectors (Hellinger 1909), clamped at 0.
    public static func hellinger(reference p: [Double], current q: [Double]) -> Double {
        var bc = 0.0
        for i in p.indices { bc += (p[i] * q[i]).squareRoot() }
        return max(1 - bc, 0).squareRoot()
    }

    /// Total variation distance ½Σ|p − q|.
    public static func totalVariation(reference p: [Double], current q: [Double]) -> Double {
        var s = 0.0
        for i in p.indices { s += abs(p[i] - q[i]) }
        return s / 2
    }

    /// The vector divided by its sum.
    static func normalized(_ v: [Double]) -> [Double] {
        var total = 0.0
        for x in v { total += x }
        return v.map { $0 / total }
    }
}
