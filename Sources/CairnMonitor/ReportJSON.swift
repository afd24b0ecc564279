import CairnCore
import CairnDrift
import Foundation

/// The machine-readable drift report.
///
/// Keys: `dataset_drift`, `drift_share`, `drift_share_threshold`, `number_of_columns`,
/// `number_of_drifted_columns`, `correction`, `reference`, `current`, and `columns[]` with `name`, `type`
/// (`numeric`/`categorical`), `test`, `test_name`, `score`, `threshold`, `drift_detected`,
/// `reference_count`, `current_count`, and `skipped_columns[]` with `name` and `reason` (free text).
public enum ReportJSON {
    /// Writes the report as one compact JSON object, keys in alphabetical order.
    public static func write(_ report: DriftReport, to w: inout JSONWriter) {
        let r = report.result
        w.object { w in
            w.key("columns")
            w.array { w in
                for c in r.columns {
                    w.object { w in
                        w.field("current_count", Int64(c.currentCount))
                        w.field("drift_detected", c.driftDetected)
                        w.field("name", c.name)
                        w.field("reference_count", Int64(c.referenceCount))
                        // A score that is not a number is written as Swift's text of it ("nan", "inf").
                        if c.score.isFinite { w.field("score", c.score) } else { w.field("score", String(c.score)) }
                        w.field("test", c.test.rawValue)
                        w.field("test_name", c.test.displayName)
                        w.field("threshold", c.threshold)
                        w.field("type", c.type.rawValue)
                    }
                }
            }
            w.field("correction", r.correction.rawValue)
            w.field("current", report.currentSource)
            w.field("dataset_drift", r.datasetDrift)
            w.field("drift_share", r.driftShare)
            w.field("drift_share_threshold", r.driftShareThreshold)
            w.field("number_of_columns", Int64(r.columnCount))
            w.field("number_of_drifted_columns", Int64(r.driftedColumns))
            w.field("reference", report.referenceSource)
            w.key("skipped_columns")
            w.array { w in
                for s in report.skipped {
                    w.object { w in
                        w.field("name", s.name)
                        w.field("reason", s.reason)
                    }
                }
            }
        }
    }

    /// Pretty-printed JSON bytes.
    public static func data(_ report: DriftReport) -> Data {
        var w = JSONWriter(capacity: 1024)
        write(report, to: &w)
        return Data(w.prettyBytes)
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
