import CairnDrift
import Foundation

/// The machine-readable drift report.
///
/// Keys: `dataset_drift`, `drift_share`, `drift_share_threshold`, `number_of_columns`,
/// `number_of_drifted_columns`, `correction`, `reference`, `current`, and `columns[]` with `name`, `type`
/// (`numeric`/`categorical`), `test`, `test_name`, `score`, `threshold`, `drift_detected`,
/// `reference_count`, `current_count`, and `skipped_columns[]` with `name` and `reason` (free text).
public enum ReportJSON {
    /// The report as a JSON-compatible dictionary.
    public static func object(_ report: DriftReport) -> [String: Any] {
        let r = report.result
        return [
            "dataset_drift": r.datasetDrift,
            "drift_share": r.driftShare,
            "drift_share_threshold": r.driftShareThreshold,
            "number_of_columns": r.columnCount,
            "number_of_drifted_columns": r.driftedColumns,
            "correction": r.correction.rawValue,
            "reference": report.referenceSource,
            "current": report.currentSource,
            "columns": r.columns.map { c -> [String: Any] in
                [
                    "name": c.name, "type": c.type.rawValue, "test": c.test.rawValue, "test_name": c.test.displayName,
                    "score": c.score.isFinite ? c.score : String(c.score), "threshold": c.threshold,
                    "drift_detected": c.driftDetected, "reference_count": c.referenceCount,
                    "current_count": c.currentCount,
                ]
            },
            "skipped_columns": report.skipped.map { s -> [String: Any] in ["name": s.name, "reason": s.reason] },
        ]
    }

    /// Pretty-printed JSON bytes.
    public static func data(_ report: DriftReport) throws -> Data {
        try JSONSerialization.data(withJSONObject: object(report), options: [.prettyPrinted, .sortedKeys])
    }
}

/// Reads and writes dataset profiles as JSON.
public enum ProfileFile {
    /// Encodes a profile.
    public static func data(_ profile: DatasetProfile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(profile)
    }

    /// Reads a profile from a file.
    public static func read(path: String) throws -> DatasetProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError.unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try JSONDecoder().decode(DatasetProfile.self, from: data)
        } catch {
            throw InputError.malformed(path: path, line: 1, reason: "not a Cairn profile (\(error))")
        }
    }

    /// Profiles a table.
    public static func profile(_ table: DataTable, k: Int = ColumnProfile.defaultK) -> DatasetProfile {
        DatasetProfile(columns: table.columnNames.map { ($0, table.columns[$0]!) }, k: k)
    }
}
