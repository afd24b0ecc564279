import CairnDrift
import Dispatch
import Foundation

/// What to compare and how.
public struct DriftOptions: Sendable {
    /// Columns to test; all shared columns when `nil`.
    public var columns: [String]?
    /// One test for every column, replacing the default selection.
    public var test: DriftTestKind?
    /// Per-column tests; these win over `test`.
    public var columnTests: [String: DriftTestKind]
    /// Threshold for every column, replacing each test's default.
    public var threshold: Double?
    /// Share of drifted columns at which the dataset drifts.
    public var driftShare: Double
    /// Multiple-testing correction for p-value tests.
    public var correction: MultipleTestingCorrection
    /// Seed for the permutation tests.
    public var seed: UInt64

    /// Creates options with Evidently's defaults.
    public init(
        columns: [String]? = nil, test: DriftTestKind? = nil, columnTests: [String: DriftTestKind] = [:],
        threshold: Double? = nil, driftShare: Double = DatasetDrift.defaultDriftShare,
        correction: MultipleTestingCorrection = .none, seed: UInt64 = 0
    ) {
        self.columns = columns
        self.test = test
        self.columnTests = columnTests
        self.threshold = threshold
        self.driftShare = driftShare
        self.correction = correction
        self.seed = seed
    }
}

/// Reference and current distributions of one column, for the report charts.
public struct ColumnHistogram: Sendable, Equatable {
    /// Bin labels: category names, or bin edges for numbers.
    public var labels: [String]
    /// Numeric bin edges (count = bins + 1); empty for categories.
    public var edges: [Double]
    /// Reference share per bin.
    public var reference: [Double]
    /// Current share per bin.
    public var current: [Double]
}

/// A drift report: the verdict and the per-column charts.
public struct DriftReport: Sendable {
    /// Dataset verdict with per-column results.
    public var result: DatasetDriftResult
    /// Histograms by column name.
    public var histograms: [String: ColumnHistogram]
    /// Where the reference came from.
    public var referenceSource: String
    /// Where the current data came from.
    public var currentSource: String
    /// Columns left out of the tests (free text), with the reason.
    public var skipped: [SkippedColumn] = []
}

/// Runs column drift over two tables (or a reference profile and a table).
public enum DriftRunner {
    /// Compares two tables column by column.
    public static func run(
        reference: DataTable, current: DataTable, options: DriftOptions, referenceSource: String = "reference",
        currentSource: String = "current", includeHistograms: Bool = true
    ) throws -> DriftReport {
        let selected = try selectColumns(
            available: reference.columnNames, other: Set(current.columnNames), options: options)
        var tested: [String] = []
        var skipped: [SkippedColumn] = []
        for name in selected {
            switch (reference.columns[name]!, current.columns[name]!) {
            case (.numeric, .categorical(let values)):
                throw ColumnScreening.typeMismatch(
                    name: name, numericSource: referenceSource, textSource: currentSource, textValues: values)
            case (.categorical(let values), .numeric):
                throw ColumnScreening.typeMismatch(
                    name: name, numericSource: currentSource, textSource: referenceSource, textValues: values)
            case (.categorical(let r), .categorical(let c))
            where options.columnTests[name] == nil && options.test == nil:
                if let reason = ColumnScreening.freeTextReason(r) ?? ColumnScreening.freeTextReason(c) {
                    skipped.append(SkippedColumn(name: name, reason: reason))
                    continue
                }
            default: break
            }
            tested.append(name)
        }
        let names = tested
        guard !names.isEmpty else {
            throw DriftError.invalidParameter(
                "no column can be tested: " + skipped.map { "'\($0.name)' is free text" }.joined(separator: ", "))
        }
        let results = ResultSlots<ColumnDriftResult>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            let name = names[i]
            let r = Result {
                try ColumnDrift.evaluate(
                    name: name, reference: reference.columns[name]!, current: current.columns[name]!,
                    test: options.columnTests[name] ?? options.test, threshold: options.threshold,
                    options: ColumnDrift.Options(seed: options.seed))
            }
            results.set(i, r)
        }
        var columns: [ColumnDriftResult] = []
        var histograms: [String: ColumnHistogram] = [:]
        for (i, name) in names.enumerated() {
            columns.append(try results.get(i))
            if includeHistograms { histograms[name] = histogram(reference.columns[name]!, current.columns[name]!) }
        }
        let verdict = DatasetDrift.verdict(
            columns: columns, driftShare: options.driftShare, correction: options.correction)
        return DriftReport(
            result: verdict, histograms: histograms, referenceSource: referenceSource, currentSource: currentSource,
            skipped: skipped)
    }

    /// Compares a table with a stored reference profile. Numeric columns default to PSI on reference
    /// deciles, categorical ones to Jensen–Shannon over category shares.
    public static func run(
        referenceProfile: DatasetProfile, current: DataTable, options: DriftOptions,
        referenceSource: String = "profile",
        currentSource: String = "current"
    ) throws -> DriftReport {
        let names = try selectColumns(
            available: referenceProfile.columnOrder, other: Set(current.columnNames), options: options)
        var columns: [ColumnDriftResult] = []
        for name in names {
            let profile = referenceProfile.columns[name]!
            let requested = options.columnTests[name] ?? options.test
            switch (profile.type, current.columns[name]!) {
            case (.numeric, .numeric(let values)):
                columns.append(
                    try ProfileDrift.numeric(
                        name: name, reference: profile, current: values, test: requested ?? .psi,
                        threshold: options.threshold))
            case (.categorical, .categorical(let values)):
                columns.append(
                    try ProfileDrift.categorical(
                        name: name, reference: profile, current: values, test: requested ?? .jensenshannon,
                        threshold: options.threshold))
            case (.categorical, .numeric(let values)):
                columns.append(
                    try ProfileDrift.categorical(
                        name: name, reference: profile, current: values.map { $0.isFinite ? shortText($0) : "" },
                        test: requested ?? .jensenshannon, threshold: options.threshold))
            case (.numeric, .categorical(let values)):
                throw ColumnScreening.typeMismatch(
                    name: name, numericSource: "the profile", textSource: currentSource, textValues: values)
            }
        }
        let verdict = DatasetDrift.verdict(
            columns: columns, driftShare: options.driftShare, correction: options.correction)
        return DriftReport(
            result: verdict, histograms: [:], referenceSource: referenceSource, currentSource: currentSource)
    }

    static func shortText(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    static func selectColumns(available: [String], other: Set<String>, options: DriftOptions) throws -> [String] {
        if let wanted = options.columns {
            for name in wanted {
                guard available.contains(name) else { throw InputError.missingColumn(name: name, path: "reference") }
                guard other.contains(name) else { throw InputError.missingColumn(name: name, path: "current") }
            }
            return wanted
        }
        let shared = available.filter { other.contains($0) }
        guard !shared.isEmpty else { throw DriftError.invalidParameter("reference and current share no columns") }
        return shared
    }

    /// Ten shared equal-width bins for numbers, the 20 most frequent categories otherwise.
    static func histogram(_ reference: ColumnData, _ current: ColumnData) -> ColumnHistogram {
        switch (reference, current) {
        case (.numeric(let r), .numeric(let c)):
            let rf = r.filter { $0.isFinite }
            let cf = c.filter { $0.isFinite }
            guard let lo = (rf + cf).min(), let hi = (rf + cf).max() else {
                return ColumnHistogram(labels: [], edges: [], reference: [], current: [])
            }
            let edges = Binning.linspace(lo == hi ? lo - 0.5 : lo, lo == hi ? hi + 0.5 : hi, 11)
            let rs = Binning.histogram(rf, edges: edges).map { Double($0) / Double(Swift.max(rf.count, 1)) }
            let cs = Binning.histogram(cf, edges: edges).map { Double($0) / Double(Swift.max(cf.count, 1)) }
            return ColumnHistogram(labels: edges.map { formatShort($0) }, edges: edges, reference: rs, current: cs)
        case (.categorical(let r), .categorical(let c)):
            let rc = Binning.counts(r)
            let cc = Binning.counts(c)
            var keys = Array(Set(rc.keys).union(cc.keys))
            keys.sort { (rc[$0, default: 0] + cc[$0, default: 0], $1) > (rc[$1, default: 0] + cc[$1, default: 0], $0) }
            keys = Array(keys.prefix(20))
            return ColumnHistogram(
                labels: keys.map { $0.isEmpty ? "(missing)" : $0 }, edges: [],
                reference: keys.map { Double(rc[$0, default: 0]) / Double(Swift.max(r.count, 1)) },
                current: keys.map { Double(cc[$0, default: 0]) / Double(Swift.max(c.count, 1)) })
        default:
            return ColumnHistogram(labels: [], edges: [], reference: [], current: [])
        }
    }
}

/// A compact number for labels.
func formatShort(_ v: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e5 || a < 1e-3 { return String(format: "%.2e", v) }
    return String(format: "%.3g", v)
}
