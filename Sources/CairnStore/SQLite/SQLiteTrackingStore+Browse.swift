import CairnCore
import GRDB

extension SQLiteTrackingStore: BrowseStore {
    public func experimentSummaries(nameContains: String?, viewType: ViewType, limit: Int) async throws
        -> [ExperimentSummary]
    {
        let stages = viewType.stages.map(\.rawValue)
        return try await read { db in
            var sql: SQL = """
                SELECT e.experiment_id, COALESCE(s.n, 0) AS n,
                       MAX(e.last_update_time, COALESCE(s.last_start, 0), COALESCE(s.last_end, 0)) AS activity
                FROM experiments e
                LEFT JOIN (SELECT experiment_id, COUNT(*) AS n, MAX(start_time) AS last_start,
                                  MAX(end_time) AS last_end
                           FROM runs WHERE lifecycle_stage = 'active' GROUP BY experiment_id) s
                       ON s.experiment_id = e.experiment_id
                WHERE e.lifecycle_stage IN \(stages)
                """
            if let needle = nameContains, !needle.isEmpty {
                sql += " AND instr(lower(e.name), lower(\(needle))) > 0"
            }
            sql += " ORDER BY activity DESC, e.experiment_id DESC LIMIT \(max(limit, 0))"
            var out: [ExperimentSummary] = []
            for row in try Row.fetchAll(db, SQLRequest(literal: sql)) {
                guard let e = try Self.loadExperiment(db, key: row[0]) else { continue }
                out.append(ExperimentSummary(experiment: e, runCount: row[1], lastActivity: row[2]))
            }
            return out
        }
    }

    public func countRuns(_ query: RunQuery) async throws -> Int {
        var experimentKeys: [Int64] = []
        for id in query.experimentIds {
            experimentKeys.append(try Self.experimentKey(id))
        }
        let sql: SQL = "SELECT COUNT(*) FROM runs r" + Self.runWhereSQL(query, experimentKeys: experimentKeys)
        return try await read { db in try Int.fetchOne(db, SQLRequest(literal: sql)) ?? 0 }
    }

    public func recentKeys(experimentId: String, sampleRuns: Int) async throws -> RunKeys {
        let key = try Self.experimentKey(experimentId)
        return try await read { db in
            let recent: SQL = """
                SELECT id FROM runs WHERE experiment_id = \(key) AND lifecycle_stage = 'active'
                ORDER BY start_time DESC LIMIT \(max(sampleRuns, 1))
                """
            func keys(_ table: String) throws -> [String] {
                try String.fetchAll(
                    db,
                    SQLRequest(
                        literal: "SELECT DISTINCT key FROM \(sql: table) WHERE run IN (\(recent)) ORDER BY key"))
            }
            return RunKeys(metrics: try keys("latest_metrics"), params: try keys("params"), tags: try keys("tags"))
        }
    }

    /// Long series are reduced inside SQLite: the step range is cut into `maxPoints / 2` buckets and
    /// each bucket contributes its lowest and highest point (two index range scans, no sorting), so
    /// only about `maxPoints` rows reach Swift however long the history is.
    public func sampledMetricHistory(runId: String, key: String, maxPoints: Int) async throws -> [SeriesPoint] {
        try await read { db in
            let run = try Self.requireRun(db, runId)
            let edge = "SELECT step FROM metrics WHERE run = ? AND key = ? ORDER BY step"
            guard let lo = try Int64.fetchOne(db, sql: edge + " LIMIT 1", arguments: [run.key, key]),
                let hi = try Int64.fetchOne(db, sql: edge + " DESC LIMIT 1", arguments: [run.key, key])
            else { return [] }
            let buckets = Int64(max(maxPoints / 2, 2))
            if hi.subtractingReportingOverflow(lo).partialValue <= buckets * 2, hi >= lo {
                return try Self.fullHistory(db, run: run.key, key: key, maxPoints: maxPoints)
            }
            let width = max(hi / buckets - lo / buckets + 1, 1)
            var points: [SeriesPoint] = []
            let range = "FROM metrics WHERE run = ? AND key = ? AND is_nan = 0 AND step >= ? AND step <= ?"
            let lowest = try db.cachedStatement(sql: "SELECT step, timestamp, MIN(value) " + range)
            let highest = try db.cachedStatement(sql: "SELECT step, timestamp, MAX(value) " + range)
            var start = lo
            while start <= hi {
                let (end, overflow) = start.addingReportingOverflow(width - 1)
                let last = overflow ? Int64.max : min(end, hi)
                for stmt in [lowest, highest] {
                    if let row = try Row.fetchOne(stmt, arguments: [run.key, key, start, last]), row[0] != nil {
                        points.append(SeriesPoint(step: row[0], timestamp: row[1], value: row[2]))
                    }
                }
                if overflow || last == hi { break }
                start = last + 1
            }
            let final = try Row.fetchOne(
                db,
                sql: """
                    SELECT step, timestamp, value FROM metrics WHERE run = ? AND key = ? AND is_nan = 0
                    ORDER BY step DESC, timestamp DESC LIMIT 1
                    """, arguments: [run.key, key])
            if let final { points.append(SeriesPoint(step: final[0], timestamp: final[1], value: final[2])) }
            points.sort { ($0.step, $0.timestamp, $0.value) < ($1.step, $1.timestamp, $1.value) }
            var unique: [SeriesPoint] = []
            for p in points where unique.last != p { unique.append(p) }
            return unique
        }
    }

    /// Every point of a short history, through ``SeriesDownsampler`` (which drops NaN values).
    private static func fullHistory(_ db: Database, run: Int64, key: String, maxPoints: Int) throws -> [SeriesPoint] {
        let total =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics WHERE run = ? AND key = ?", arguments: [run, key])
            ?? 0
        var sampler = SeriesDownsampler(total: total, maxPoints: maxPoints)
        let stmt = try db.cachedStatement(
            sql:
                "SELECT step, timestamp, value, is_nan FROM metrics WHERE run = ? AND key = ? ORDER BY step, timestamp, value"
        )
        let cursor = try Row.fetchCursor(stmt, arguments: [run, key])
        while let row = try cursor.next() {
            let isNan: Bool = row[3]
            sampler.add(SeriesPoint(step: row[0], timestamp: row[1], value: isNan ? .nan : row[2]))
        }
        return sampler.finish()
    }
}
