#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a numeric column is cut into bins for the binned measures (PSI, KL, Jensen–Shannon, Hellinger).
public enum BinningRule: Sendable, Equatable, Codable {
    /// Evidently's rule: Sturges equal-width bins over the combined range when the reference has more
    /// than 20 distinct values, otherwise one bin per distinct value.
    case evidently
    /// Equal-width Sturges bins (⌈log₂ n + 1⌉) over the combined range.
    case sturges
    /// `count` bins at reference quantiles, open-ended at both sides.
    case referenceQuantiles(count: Int)
    /// One bin per distinct value of reference ∪ current.
    case distinctValues
}

/// Turns two samples into two aligned frequency vectors.
public enum Binning {
    /// Threshold on distinct reference values above which Evidently's rule switches to equal-width bins.
    public static let evidentlyDistinctLimit = 20

    /// Reference and current shares per bin for numeric samples (finite values only), under `rule`.
    public static func numericShares(
        reference: [Double], current: [Double], rule: BinningRule
    ) throws -> (reference: [Double], current: [Double]) {
        let ref = reference.filter { $0.isFinite }
        let cur = current.filter { $0.isFinite }
        guard !ref.isEmpty, !cur.isEmpty else { throw DriftError.emptySample("binning needs two non-empty samples") }
        switch rule {
        case .evidently:
            if Set(ref).count > evidentlyDistinctLimit {
                return try numericShares(reference: ref, current: cur, rule: .sturges)
            }
            return try numericShares(reference: ref, current: cur, rule: .distinctValues)
        case .sturges:
            let edges = sturgesEdges(ref + cur)
            return (
                histogram(ref, edges: edges).map { Double($0) / Double(ref.count) },
                histogram(cur, edges: edges).map { Double($0) / Double(cur.count) }
            )
        case .distinctValues:
            let keys = Array(Set(ref).union(cur)).sorted()
            return (distinctShares(ref, keys: keys), distinctShares(cur, keys: keys))
        case .referenceQuantiles(let count):
            guard count >= 2 else { throw DriftError.invalidParameter("quantile bins need at least 2 bins") }
            let sorted = ref.sorted()
            var cuts: [Double] = []
            for q in 1..<count { cuts.append(Quantiles.linear(sorted, Double(q) / Double(count))) }
            var refCounts = [Int](repeating: 0, count: count)
            var curCounts = [Int](repeating: 0, count: count)
            for v in ref { refCounts[upperBound(cuts, v)] += 1 }
            for v in cur { curCounts[upperBound(cuts, v)] += 1 }
            return (refCounts.map { Double($0) / Double(ref.count) }, curCounts.map { Double($0) / Double(cur.count) })
        }
    }

    /// Shares per category for two categorical samples over the union of categories (sorted), so that a
    /// category seen on one side only gets a zero share on the other.
    public static func categoricalShares<T: Hashable & Comparable>(
        reference: [T], current: [T]
    ) throws -> (keys: [T], reference: [Double], current: [Double]) {
        guard !reference.isEmpty, !current.isEmpty else {
            throw DriftError.emptySample("categorical binning needs two non-empty samples")
        }
        let refCounts = counts(reference)
        let curCounts = counts(current)
        let keys = Array(Set(refCounts.keys).union(curCounts.keys)).sorted()
        return (
            keys, keys.map { Double(refCounts[$0, default: 0]) / Double(reference.count) },
            keys.map { Double(curCounts[$0, default: 0]) / Double(current.count) }
        )
    }

    /// Occurrences per value.
    public static func counts<T: Hashable>(_ values: [T]) -> [T: Int] {
        var c: [T: Int] = [:]
        for v in values { c[v, default: 0] += 1 }
        return c
    }

    /// Index of the first cut strictly greater than `v` (the bin of `v`).
    static func upperBound(_ cuts: [Double], _ v: Double) -> Int {
        var lo = 0
        var hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cuts[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func distinctShares(_ values: [Double], keys: [Double]) -> [Double] {
        let c = counts(values)
        return keys.map { Double(c[$0, default: 0]) / Double(values.count) }
    }

    /// Sturges bin edges as numpy's `histogram_bin_edges(x, bins="sturges")` computes them: width
    /// ptp/(log₂ n + 1), ⌈ptp/width⌉ bins, edges start + i·step with the last edge pinned to the maximum.
    public static func sturgesEdges(_ values: [Double]) -> [Double] {
        var lo = values.min() ?? 0
        var hi = values.max() ?? 0
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        let ptp = (values.max() ?? 0) - (values.min() ?? 0)
        var bins = 1
        if ptp > 0 {
            let width = ptp / (log2(Double(values.count)) + 1)
            bins = Int((ptp / width).rounded(.up))
        }
        return linspace(lo, hi, bins + 1)
    }

    /// numpy-compatible `linspace(start, stop, num)` with an exact last point.
    public static func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
        let step = (stop - start) / Double(num - 1)
        var out = (0..<num).map { Double($0) * step + start }
        out[num - 1] = stop
        return out
    }

    /// Counts per equal-width bin with numpy's assignment rule: bins are half-open [e_i, e_{i+1}) except the
    /// last, which is closed; values outside the edges are ignored.
    public static func histogram(_ values: [Double], edges: [Double]) -> [Int] {
        let nBins = edges.count - 1
        var counts = [Int](repeating: 0, count: nBins)
        let first = edges[0]
        let last = edges[nBins]
        let norm = Double(nBins) / (last - first)
        for v in values where v >= first && v <= last {
            var index = Int((v - first) * norm)
            if index == nBins { index -= 1 }
            if v < edges[index] { index -= 1 }
            if index != nBins - 1 && v >= edges[index + 1] { index += 1 }
            counts[index] += 1
        }
        return counts
    }

    /// Evidently's empty-bin fill for PSI and KL: zero shares become min(non-zero)/10⁶ when that minimum is
    /// at most 10⁻⁴, otherwise 10⁻⁴. Shares are not renormalised.
    public static func fillZeros(_ shares: [Double]) -> [Double] {
        let nonZero = shares.filter { $0 != 0 }
        guard let smallest = nonZero.min() else { return shares }
        let fill = smallest <= 1e-4 ? smallest / 1e6 : 1e-4
        return shares.map { $0 == 0 ? fill : $0 }
    }
}

/// Sample quantiles.
public enum Quantiles {
    /// Linear-interpolation quantile of sorted data (numpy's default "linear" method).
    public static func linear(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let pos = q * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        let frac = pos - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
    }
}
