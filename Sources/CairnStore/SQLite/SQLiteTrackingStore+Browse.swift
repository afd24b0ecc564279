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

    public func sampledMetricHistory(runId: String, key: String, maxPoints: Int) async throws -> [SeriesPoint] {
        try await read { db in
            let run = try Self.requireRun(db, runId)
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM metrics WHERE run = ? AND key = ?", arguments: [run.key, key]) ?? 0
            var sampler = SeriesDownsampler(total: total, maxPoints: maxPoints)
            let stmt = try db.cachedStatement(
                sql: """
                    SELECT step, timestamp, value, is_nan FROM metrics
                    WHERE run = ? AND key = ? ORDER BY step, timestamp, value
                    """)
            let cursor = try Row.fetchCursor(stmt, arguments: [run.key, key])
            while let row = try cursor.next() {
                let isNan: Bool = row[3]
                sampler.add(SeriesPoint(step: row[0], timestamp: row[1], value: isNan ? .nan : row[2]))
            }
            return sampler.finish()
        }
    }
}
