#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seeded permutation tests: kernel MMD for numbers and total variation distance for categories.
///
/// p-values are (1 + #{permuted ≥ observed})/(1 + B), which never returns 0 (Phipson & Smyth, "Permutation
/// P-values Should Never Be Zero", 2010).
public enum PermutationTests {
    /// Unbiased MMD² with a Gaussian RBF kernel k(x, y) = exp(−(x−y)²/(2σ²)) (Gretton et al., "A Kernel
    /// Two-Sample Test", JMLR 13, 2012), σ = median pairwise distance of the pooled sample (median
    /// heuristic), and a permutation p-value over `permutations` shuffles. Each sample is subsampled to
    /// `maxSamples` values first, since the kernel matrix is quadratic.
    public static func mmd(
        _ a: [Double], _ b: [Double], permutations: Int = 100, seed: UInt64 = 0, maxSamples: Int = 1000
    ) throws -> TestResult {
        var rng = SplitMix64(seed: seed)
        var x = a.filter { $0.isFinite }
        var y = b.filter { $0.isFinite }
        guard x.count >= 2, y.count >= 2 else {
            throw DriftError.notEnoughData("MMD needs at least 2 values per sample")
        }
        if x.count > maxSamples {
            x.shuffle(using: &rng)
            x = Array(x.prefix(maxSamples))
        }
        if y.count > maxSamples {
            y.shuffle(using: &rng)
            y = Array(y.prefix(maxSamples))
        }
        let z = x + y
        let n = z.count
        var distances: [Double] = []
        distances.reserveCapacity(n * (n - 1) / 2)
        for i in 0..<n { for j in (i + 1)..<n { distances.append(abs(z[i] - z[j])) } }
        distances.sort()
        var sigma = Quantiles.linear(distances, 0.5)
        if sigma <= 0 { sigma = 1 }
        let gamma = 1 / (2 * sigma * sigma)
        var kernel = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                let d = z[i] - z[j]
                let k = exp(-gamma * d * d)
                kernel[i * n + j] = k
                kernel[j * n + i] = k
            }
        }
        var order = Array(0..<n)
        let observed = unbiasedMMD2(kernel, n, order, x.count)
        var exceed = 0
        for _ in 0..<permutations {
            order.shuffle(using: &rng)
            if unbiasedMMD2(kernel, n, order, x.count) >= observed { exceed += 1 }
        }
        return TestResult(statistic: observed, pValue: Double(exceed + 1) / Double(permutations + 1))
    }

    static func unbiasedMMD2(_ k: [Double], _ n: Int, _ order: [Int], _ m: Int) -> Double {
        var kxx = 0.0
        var kyy = 0.0
        var kxy = 0.0
        for i in 0..<n {
            let oi = order[i]
            for j in 0..<n where j != i {
                let v = k[oi * n + order[j]]
                if i < m && j < m {
                    kxx += v
                } else if i >= m && j >= m {
                    kyy += v
                } else if i < m {
                    kxy += v
                }
            }
        }
        let mx = Double(m)
        let my = Double(n - m)
        return kxx / (mx * (mx - 1)) + kyy / (my * (my - 1)) - 2 * kxy / (mx * my)
    }

    /// Total variation distance between category shares with a permutation p-value over `permutations`
    /// relabellings of the pooled sample.
    public static func totalVariation<T: Hashable & Comparable>(
        reference: [T], current: [T], permutations: Int = 1000, seed: UInt64 = 0
    ) throws -> TestResult {
        guard !reference.isEmpty, !current.isEmpty else {
            throw DriftError.emptySample("TVD needs two non-empty samples")
        }
        let keys = Array(Set(reference).union(current)).sorted()
        var index: [T: Int] = [:]
        for (i, k) in keys.enumerated() { index[k] = i }
        var pooled = (reference + current).map { index[$0]! }
        let m = reference.count
        func tvd(_ labels: [Int]) -> Double {
            var c1 = [Double](repeating: 0, count: keys.count)
            var c2 = [Double](repeating: 0, count: keys.count)
            for i in 0..<labels.count {
                if i < m { c1[labels[i]] += 1 } else { c2[labels[i]] += 1 }
            }
            var s = 0.0
            for i in 0..<keys.count { s += abs(c1[i] / Double(m) - c2[i] / Double(labels.count - m)) }
            return s / 2
        }
        let observed = tvd(pooled)
        var rng = SplitMix64(seed: seed)
        var exceed = 0
        for _ in 0..<permutations {
            pooled.shuffle(using: &rng)
            if tvd(pooled) >= observed - 1e-12 { exceed += 1 }
        }
        return TestResult(statistic: observed, pValue: Double(exceed + 1) / Double(permutations + 1))
    }
}
