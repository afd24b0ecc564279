/// Drift measured against a stored reference profile, so the reference data need not be read again.
///
/// Numeric columns are cut at `bins` reference quantiles from the KLL sketch (open-ended outer bins; a
/// column with at most `bins` distinct values at its values); the
/// reference share of each bin is 1/bins up to the sketch error, the current shares are exact counts (or
/// CDF differences of a current profile). PSI uses Evidently's empty-bin fill. The KS statistic is the
/// largest CDF gap over the sketch items of both sides, with the p-value of ``KolmogorovSmirnov`` at the
/// two counts; it is approximate by the sketch's rank error. Categorical columns use chi-square against
/// the reference frequent items and PSI/JS/Hellinger over item shares.
public enum ProfileDrift {
    /// Tests available from a profile.
    public static let supportedTests: Set<DriftTestKind> = [.psi, .jensenshannon, .hellinger, .ks, .chisquare, .klDiv]

    /// Default number of quantile bins.
    public static let defaultBins = 10

    /// Reference quantile cut points (bins − 1 of them). A discrete column — at most `bins` distinct
    /// reference values, such as class labels — is cut at its values instead, so each value is a bin of its
    /// own: quantile cuts would merge a dominant value with its neighbours and hide a shift between them.
    public static func cutPoints(_ sketch: KLLSketch, bins: Int) -> [Double] {
        var distinct: [Double] = []
        for item in sketch.weightedItems() where distinct.last != item.value {
            distinct.append(item.value)
            if distinct.count > bins { break }
        }
        if distinct.count <= bins { return Array(distinct.dropLast()) }
        var cuts: [Double] = []
        for q in 1..<bins {
            let c = sketch.quantile(Double(q) / Double(bins))
            if cuts.last != c { cuts.append(c) }
        }
        return cuts
    }

    /// Shares per bin of a sketch for the given cut points (bins are (c_{i−1}, c_i]).
    public static func shares(_ sketch: KLLSketch, cuts: [Double]) -> [Double] {
        var out: [Double] = []
        var previous = 0.0
        for c in cuts {
            let f = sketch.cdf(c)
            out.append(f - previous)
            previous = f
        }
        out.append(1 - previous)
        return out
    }

    /// Shares per bin of raw values for the given cut points (non-finite values are skipped).
    public static func shares(_ values: [Double], cuts: [Double]) -> [Double] { sharesAndCount(values, cuts: cuts).0 }

    /// Shares per bin and the number of finite values.
    static func sharesAndCount(_ values: [Double], cuts: [Double]) -> ([Double], Int) {
        let m = cuts.count
        var counts = [Int](repeating: 0, count: m + 1)
        var n = 0
        values.withUnsafeBufferPointer { vs in
            cuts.withUnsafeBufferPointer { c in
                counts.withUnsafeMutableBufferPointer { out in
                    var finite = 0
                    for v in vs where v.isFinite {
                        // The bin is the number of cuts strictly below v (a short branch-free scan).
                        var bin = 0
                        for j in 0..<m { bin &+= v > c[j] ? 1 : 0 }
                        out[bin] &+= 1
                        finite &+= 1
                    }
                    n = finite
                }
            }
        }
        return (counts.map { n > 0 ? Double($0) / Double(n) : 0 }, n)
    }

    /// Drift of a numeric column against its reference profile.
    public static func numeric(
        name: String, reference: ColumnProfile, current: [Double], test: DriftTestKind, threshold: Double? = nil,
        bins: Int = defaultBins
    ) throws -> ColumnDriftResult {
        if test == .ks {
            var profile = ColumnProfile(type: .numeric, k: reference.sketch?.k ?? ColumnProfile.defaultK)
            for v in current { profile.add(v) }
            return try numeric(
                name: name, reference: reference, current: profile, test: test, threshold: threshold, bins: bins)
        }
        // Binned measures need only the current counts per reference bin: no sketch of the current data.
        guard let ref = reference.sketch, !ref.isEmpty else {
            throw DriftError.emptySample("column '\(name)': reference profile has no numeric values")
        }
        let cuts = cutPoints(ref, bins: bins)
        let r = shares(ref, cuts: cuts)
        let (c, finiteCount) = sharesAndCount(current, cuts: cuts)
        guard finiteCount > 0 else { throw DriftError.emptySample("column '\(name)': current has no finite values") }
        let score: Double
        switch test {
        case .psi: score = Divergences.psi(reference: Binning.fillZeros(r), current: Binning.fillZeros(c))
        case .klDiv: score = Divergences.kullbackLeibler(reference: Binning.fillZeros(r), current: Binning.fillZeros(c))
        case .jensenshannon: score = Divergences.jensenShannon(reference: r, current: c)
        case .hellinger: score = Divergences.hellinger(reference: r, current: c)
        default:
            throw DriftError.invalidParameter(
                "column '\(name)': test '\(test.rawValue)' cannot be computed from a numeric profile "
                    + "(use ks, psi, kl_div, jensenshannon or hellinger)")
        }
        return ColumnDrift.result(name, .numeric, test, score, threshold, ref.count, finiteCount)
    }

    /// Drift of a numeric column between two profiles (`currentValues`, when given, makes the current
    /// shares exact).
    public static func numeric(
        name: String, reference: ColumnProfile, current: ColumnProfile, currentValues: [Double]? = nil,
        test: DriftTestKind, threshold: Double? = nil, bins: Int = defaultBins
    ) throws -> ColumnDriftResult {
        guard let ref = reference.sketch, !ref.isEmpty else {
            throw DriftError.emptySample("column '\(name)': reference profile has no numeric values")
        }
        guard let cur = current.sketch, !cur.isEmpty else {
            throw DriftError.emptySample("column '\(name)': current has no finite values")
        }
        let score: Double
        switch test {
        case .psi, .jensenshannon, .hellinger, .klDiv:
            let cuts = cutPoints(ref, bins: bins)
            let r = shares(ref, cuts: cuts)
            let c = currentValues.map { shares($0, cuts: cuts) } ?? shares(cur, cuts: cuts)
            switch test {
            case .psi: score = Divergences.psi(reference: Binning.fillZeros(r), current: Binning.fillZeros(c))
            case .klDiv:
                score = Divergences.kullbackLeibler(reference: Binning.fillZeros(r), current: Binning.fillZeros(c))
            case .jensenshannon: score = Divergences.jensenShannon(reference: r, current: c)
            default: score = Divergences.hellinger(reference: r, current: c)
            }
        case .ks:
            var d = 0.0
            for item in ref.weightedItems() + cur.weightedItems() {
                d = Swift.max(d, abs(ref.cdf(item.value) - cur.cdf(item.value)))
            }
            score = KolmogorovSmirnov.pValue(d: d, n1: ref.count, n2: cur.count, method: .asymptotic).p
        default:
            throw DriftError.invalidParameter(
                "column '\(name)': test '\(test.rawValue)' cannot be computed from a numeric profile "
                    + "(use ks, psi, kl_div, jensenshannon or hellinger)")
        }
        return ColumnDrift.result(name, .numeric, test, score, threshold, ref.count, cur.count)
    }

    /// Drift of a categorical column against its reference profile's frequent items.
    public static func categorical(
        name: String, reference: ColumnProfile, current: [String], test: DriftTestKind, threshold: Double? = nil
    ) throws -> ColumnDriftResult {
        guard let ref = reference.items, ref.total > 0 else {
            throw DriftError.emptySample("column '\(name)': reference profile has no categories")
        }
        let cur = Binning.counts(current.filter { !$0.isEmpty })
        let nCur = cur.values.reduce(0, +)
        guard nCur > 0 else { throw DriftError.emptySample("column '\(name)': current has no values") }
        let keys = Array(Set(ref.counts.keys).union(cur.keys)).sorted()
        let nRef = Double(ref.total)
        let r = keys.map { Double(ref.counts[$0, default: 0]) / nRef }
        let c = keys.map { Double(cur[$0, default: 0]) / Double(nCur) }
        let score: Double
        switch test {
        case .chisquare:
            let observed = keys.map { Double(cur[$0, default: 0]) }
            let expected = r.map { $0 * Double(nCur) }
            score = ContingencyTests.chiSquare(observed: observed, expected: expected).pValue!
        case .psi: score = Divergences.psi(reference: Binning.fillZeros(r), current: Binning.fillZeros(c))
        case .klDiv: score = Divergences.kullbackLeibler(reference: Binning.fillZeros(r), current: Binning.fillZeros(c))
        case .jensenshannon: score = Divergences.jensenShannon(reference: r, current: c)
        case .hellinger: score = Divergences.hellinger(reference: r, current: c)
        default:
            throw DriftError.invalidParameter(
                "column '\(name)': test '\(test.rawValue)' cannot be computed from a categorical profile "
                    + "(use chisquare, psi, kl_div, jensenshannon or hellinger)")
        }
        return ColumnDrift.result(name, .categorical, test, score, threshold, ref.total, nCur)
    }
}
