/// Multiple-testing corrections for p-value tests across columns.
public enum MultipleTestingCorrection: String, Sendable, Codable, CaseIterable {
    /// No correction (Evidently's behaviour).
    case none
    /// Bonferroni: a column drifts when p < α/m.
    case bonferroni
    /// Benjamini–Hochberg false discovery rate (Benjamini & Hochberg, JRSS B 57, 1995): with p-values sorted
    /// ascending, the columns up to the largest rank i with p₍ᵢ₎ ≤ α·i/m drift.
    case benjaminiHochberg = "benjamini-hochberg"
}

/// The dataset-level verdict over column results.
public struct DatasetDriftResult: Sendable, Equatable, Codable {
    /// Whether the dataset drifted: share of drifted columns ≥ `driftShareThreshold`.
    public var datasetDrift: Bool
    /// Share of drifted columns.
    public var driftShare: Double
    /// Number of drifted columns.
    public var driftedColumns: Int
    /// Number of columns tested.
    public var columnCount: Int
    /// The share threshold used.
    public var driftShareThreshold: Double
    /// The correction applied to p-value tests.
    public var correction: MultipleTestingCorrection
    /// Per-column results; `driftDetected` reflects the correction.
    public var columns: [ColumnDriftResult]
}

/// Combines column results into Evidently's dataset verdict, `share = drifted/columns`,
/// `dataset_drift = share ≥ 0.5` by default, optionally correcting p-value tests for multiplicity first.
public enum DatasetDrift {
    /// Evidently's default share threshold.
    public static let defaultDriftShare = 0.5

    /// Applies `correction` and the share rule to `columns`.
    public static func verdict(
        columns: [ColumnDriftResult], driftShare: Double = defaultDriftShare,
        correction: MultipleTestingCorrection = .none
    ) -> DatasetDriftResult {
        let corrected = apply(correction, to: columns)
        let drifted = corrected.filter(\.driftDetected).count
        let share = corrected.isEmpty ? 0 : Double(drifted) / Double(corrected.count)
        return DatasetDriftResult(
            datasetDrift: !corrected.isEmpty && share >= driftShare, driftShare: share, driftedColumns: drifted,
            columnCount: corrected.count, driftShareThreshold: driftShare, correction: correction, columns: corrected)
    }

    /// Re-decides p-value columns under `correction`; distance columns are left as they are.
    public static func apply(_ correction: MultipleTestingCorrection, to columns: [ColumnDriftResult])
        -> [ColumnDriftResult]
    {
        let pIndices = columns.indices.filter { columns[$0].test.isPValue }
        let m = Double(pIndices.count)
        guard m > 0 else { return columns }
        var out = columns
        switch correction {
        case .none:
            break
        case .bonferroni:
            for i in pIndices { out[i].driftDetected = out[i].score < out[i].threshold / m }
        case .benjaminiHochberg:
            let sorted = pIndices.sorted { columns[$0].score < columns[$1].score }
            var cutoff = -1
            for (rank, i) in sorted.enumerated() where columns[i].score <= columns[i].threshold * Double(rank + 1) / m {
                cutoff = rank
            }
            for (rank, i) in sorted.enumerated() { out[i].driftDetected = rank <= cutoff }
        }
        return out
    }
}
