/// Runs one drift test on one column with Evidently's conventions: missing values (NaN, ±∞) dropped,
/// default test chosen by ``DefaultTestSelection``, the test's default threshold unless one is given.
///
/// ```swift
/// let r = try ColumnDrift.evaluate(name: "age", reference: .numeric(ref), current: .numeric(cur))
/// print(r.test, r.score, r.driftDetected)
/// ```
public enum ColumnDrift {
    /// Options for the seeded permutation tests.
    public struct Options: Sendable, Equatable {
        /// Seed for MMD and TVD permutations.
        public var seed: UInt64
        /// Binning rule for PSI, KL and Jensen–Shannon on numeric columns.
        public var binning: BinningRule

        /// Creates options.
        public init(seed: UInt64 = 0, binning: BinningRule = .evidently) {
            self.seed = seed
            self.binning = binning
        }
    }

    /// Evaluates drift of one column.
    public static func evaluate(
        name: String, reference: ColumnData, current: ColumnData, test: DriftTestKind? = nil, threshold: Double? = nil,
        options: Options = Options()
    ) throws -> ColumnDriftResult {
        switch (reference, current) {
        case (.numeric(let r), .numeric(let c)):
            let ref = r.filter { $0.isFinite }
            let cur = c.filter { $0.isFinite }
            guard !ref.isEmpty else { throw DriftError.emptySample("column '\(name)': reference has no finite values") }
            guard !cur.isEmpty else { throw DriftError.emptySample("column '\(name)': current has no finite values") }
            let kind = test ?? DefaultTestSelection.numeric(reference: ref, current: cur)
            let score = try numericScore(kind, ref, cur, options)
            return result(name, .numeric, kind, score, threshold, ref.count, cur.count)
        case (.categorical(let r), .categorical(let c)):
            guard !r.isEmpty else { throw DriftError.emptySample("column '\(name)': reference has no values") }
            guard !c.isEmpty else { throw DriftError.emptySample("column '\(name)': current has no values") }
            let kind = test ?? DefaultTestSelection.categorical(reference: r, current: c)
            guard kind.supportsCategorical else {
                throw DriftError.invalidParameter(
                    "column '\(name)' is categorical; test '\(kind.rawValue)' applies to numeric columns only")
            }
            let score = try categoricalScore(kind, r, c, options)
            return result(name, .categorical, kind, score, threshold, r.count, c.count)
        default:
            throw DriftError.invalidParameter("column '\(name)' has different types in reference and current")
        }
    }

    static func result(
        _ name: String, _ type: ColumnType, _ kind: DriftTestKind, _ score: Double, _ threshold: Double?, _ nRef: Int,
        _ nCur: Int
    ) -> ColumnDriftResult {
        let t = threshold ?? kind.defaultThreshold
        return ColumnDriftResult(
            name: name, type: type, test: kind, score: score, threshold: t,
            driftDetected: kind.isDrift(score: score, threshold: t),
            referenceCount: nRef, currentCount: nCur)
    }

    /// The score of `kind` on finite numeric samples.
    public static func numericScore(
        _ kind: DriftTestKind, _ ref: [Double], _ cur: [Double], _ options: Options = Options()
    ) throws -> Double {
        switch kind {
        case .ks: return try KolmogorovSmirnov.test(ref, cur).pValue!
        case .wasserstein: return try CDFDistance.normedWasserstein(reference: ref, current: cur)
        case .energy: return try CDFDistance.energy(ref, cur)
        case .anderson: return try AndersonDarling.kSample([ref, cur]).pValue!
        case .cramerVonMises: return try CramerVonMises.twoSample(ref, cur).pValue!
        case .tTest: return try LocationTests.tTest(ref, cur, equalVariance: true).pValue!
        case .welchTTest: return try LocationTests.tTest(ref, cur, equalVariance: false).pValue!
        case .mannWhitney: return try LocationTests.mannWhitneyU(ref, cur, alternative: .less).pValue!
        case .mmd: return try PermutationTests.mmd(ref, cur, seed: options.seed).pValue!
        case .psi:
            let s = try Binning.numericShares(reference: ref, current: cur, rule: options.binning)
            return Divergences.psi(reference: Binning.fillZeros(s.reference), current: Binning.fillZeros(s.current))
        case .klDiv:
            let s = try Binning.numericShares(reference: ref, current: cur, rule: options.binning)
            return Divergences.kullbackLeibler(
                reference: Binning.fillZeros(s.reference), current: Binning.fillZeros(s.current))
        case .jensenshannon:
            let s = try Binning.numericShares(reference: ref, current: cur, rule: options.binning)
            return Divergences.jensenShannon(reference: s.reference, current: s.current)
        case .hellinger:
            let edges = Binning.sturgesEdges(Array(Set(ref).union(cur)))
            let r = Binning.histogram(ref, edges: edges).map { Double($0) / Double(ref.count) }
            let c = Binning.histogram(cur, edges: edges).map { Double($0) / Double(cur.count) }
            return Divergences.hellinger(reference: r, current: c)
        case .chisquare, .z, .fisherExact, .tvd, .gTest:
            return try categoricalScore(kind, ref, cur, options)
        }
    }

    /// The score of `kind` on categorical samples (labels of any comparable type).
    public static func categoricalScore<T: Hashable & Comparable>(
        _ kind: DriftTestKind, _ ref: [T], _ cur: [T], _ options: Options = Options()
    ) throws -> Double {
        switch kind {
        case .chisquare: return try ContingencyTests.chiSquareDrift(reference: ref, current: cur).pValue!
        case .gTest: return try ContingencyTests.gTestDrift(reference: ref, current: cur).pValue!
        case .z: return try ContingencyTests.proportionZTest(reference: ref, current: cur).pValue!
        case .fisherExact:
            let keys = Set(ref).union(cur).sorted()
            guard keys.count <= 2 else {
                throw DriftError.invalidParameter(
                    "Fisher's exact test needs a binary column, found \(keys.count) values")
            }
            let one = keys.last!
            let oneRef = ref.filter { $0 == one }.count
            let oneCur = cur.filter { $0 == one }.count
            return ContingencyTests.fisherExact(oneCur, cur.count - oneCur, oneRef, ref.count - oneRef).pValue!
        case .tvd: return try PermutationTests.totalVariation(reference: ref, current: cur, seed: options.seed).pValue!
        case .psi:
            let s = try Binning.categoricalShares(reference: ref, current: cur)
            return Divergences.psi(reference: Binning.fillZeros(s.reference), current: Binning.fillZeros(s.current))
        case .klDiv:
            let s = try Binning.categoricalShares(reference: ref, current: cur)
            return Divergences.kullbackLeibler(
                reference: Binning.fillZeros(s.reference), current: Binning.fillZeros(s.current))
        case .jensenshannon:
            let s = try Binning.categoricalShares(reference: ref, current: cur)
            return Divergences.jensenShannon(reference: s.reference, current: s.current)
        case .hellinger:
            let s = try Binning.categoricalShares(reference: ref, current: cur)
            return Divergences.hellinger(reference: s.reference, current: s.current)
        default:
            throw DriftError.unsupportedColumnType(test: kind.rawValue, columnType: "categorical")
        }
    }
}
