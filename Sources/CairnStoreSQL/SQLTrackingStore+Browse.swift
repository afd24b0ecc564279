import CairnCore
import CairnStore

extension SQLTrackingStore: BrowseStore {
    public func experimentSummaries(nameContains: String?, viewType: ViewType, limit: Int) async throws
        -> [ExperimentSummary]
    {
        let stages = viewType.stages.map(\.rawValue)
        return try await read { s in
            let g = s.dialect.greatest
            var sql: SQLStatement = """
                SELECT e.experiment_id, COALESCE(x.n, 0) AS n,
                       \(sql: g)(e.last_update_time, COALESCE(x.last_start, 0), COALESCE(x.last_end, 0)) AS activity
                FROM experiments e
                LEFT JOIN (SELECT experiment_id, COUNT(*) AS n, MAX(start_time) AS last_start,
                                  MAX(end_time) AS last_end
                           FROM runs WHERE lifecycle_stage = 'active' GROUP BY experiment_id) x
                       ON x.experiment_id = e.experiment_id
                WHERE e.lifecycle_stage IN \(stages)
                """
            if let needle = nameContains, !needle.isEmpty {
                sql += " AND " + s.dialect.containment("lower(e.name)", needle.lowercased())
            }
            sql += " ORDER BY activity DESC, e.experiment_id DESC LIMIT \(max(limit, 0))"
            var out: [ExperimentSummary] = []
            for row in try s.fetchAll(sql) {
                guard let e = try Self.loadExperiment(s, key: try row.get("experiment_id")) else { continue }
                out.append(
                    ExperimentSummary(experiment: e, runCount: try row.get("n"), lastActivity: try row.get("activity")))
            }
            return out
        }
    }

    public func countRuns(_ query: RunQuery) async throws -> Int {
        let experimentKeys = try query.experimentIds.map { id throws(MlflowError) in try StoreRules.experimentKey(id) }
        return try await read { s in
            let sql: SQLStatement =
                "SELECT COUNT(*) FROM runs r" + (try Self.runWhereSQL(query, experimentKeys: experimentKeys, s.dialect))
            return try s.scalar(Int.self, sql) ?? 0
        }
    }

    public func recentKeys(experimentId: String, sampleRuns: Int) async throws -> RunKeys {
        let key = try StoreRules.experimentKey(experimentId)
        return try await read { s in
            let recent: SQLStatement = """
                SELECT id FROM runs WHERE experiment_id = \(key) AND lifecycle_stage = 'active'
                ORDER BY start_time DESC LIMIT \(max(sampleRuns, 1))
                """
            func keys(_ table: String) throws -> [String] {
                try s.column(
                    String.self, "SELECT DISTINCT key FROM \(sql: table) WHERE run IN (\(recent)) ORDER BY key")
            }
            return RunKeys(metrics: try keys("latest_metrics"), params: try keys("params"), tags: try keys("tags"))
        }
    }

    /// Long series are reduced inside the database: the step range is cut into `maxPoints / 2`
    /// buckets and each bucket contributes its lowest and highest point (two index range scans, no
    /// sorting), so only about `maxPoints` rows come back however long the history is.
    public func sampledMetricHistory(runId: String, key: String, maxPoints: Int) async throws -> [SeriesPoint] {
        try await read { s in
            let run = try Self.requireRun(s, runId)
            let edge: SQLStatement = "SELECT step FROM metrics WHERE run = \(run.key) AND key = \(key) ORDER BY step"
            guard let lo = try s.scalar(Int64.self, edge + " LIMIT 1"),
                let hi = try s.scalar(Int64.self, edge + " DESC LIMIT 1")
            else { return [] }
            let buckets = Int64(max(maxPoints / 2, 2))
            if hi.subtractingReportingOverflow(lo).partialValue <= buckets * 2, hi >= lo {
                return try Self.fullHistory(s, run: run.key, key: key, maxPoints: maxPoints)
            }
            let width = max(hi / buckets - lo / buckets + 1, 1)
            var points: [SeriesPoint] = []
            var start = lo
            while start <= hi {
                let (end, overflow) = start.addingReportingOverflow(width - 1)
                let last = overflow ? Int64.max : min(end, hi)
                for extreme in ["MIN", "MAX"] {
                    // The bucket's extreme point: lowest (highest) value, earliest step among equals.
                    let sql: SQLStatement = """
                        SELECT step, timestamp, value FROM metrics
                        WHERE run = \(run.key) AND key = \(key) AND is_nan = 0 AND step >= \(start) AND step <= \(last)
                        AND value = (SELECT \(sql: extreme)(value) FROM metrics WHERE run = \(run.key) AND key = \(key)
                                     AND is_nan = 0 AND step >= \(start) AND step <= \(last))
                        ORDER BY step, timestamp LIMIT 1
                        """
                    if let row = try s.fetchOne(sql) {
                        points.append(
                            SeriesPoint(step: try row.get(0), timestamp: try row.get(1), value: try row.get(2)))
                    }
                }
                if overflow || last == hi { break }
                start = last + 1
            }
            let final = try s.fetchOne(
                """
                SELECT step, timestamp, value FROM metrics WHERE run = \(run.key) AND key = \(key) AND is_nan = 0
                ORDER BY step DESC, timestamp DESC LIMIT 1
                """)
            if let final {
                points.append(SeriesPoint(step: try final.get(0), timestamp: try final.get(1), value: try final.get(2)))
            }
            points.sort { ($0.step, $0.timestamp, $0.value) < ($1.step, $1.timestamp, $1.value) }
            var unique: [SeriesPoint] = []
            for p in points where unique.last != p { unique.append(p) }
            return unique
        }
    }

    /// Every point of a short history, through ``SeriesDownsampler`` (which drops NaN values).
    private static func fullHistory(_ s: any SQLSession, run: Int64, key: String, maxPoints: Int) throws
        -> [SeriesPoint]
    {
        let total = try s.scalar(Int.self, "SELECT COUNT(*) FROM metrics WHERE run = \(run) AND key = \(key)") ?? 0
        var sampler = SeriesDownsampler(total: total, maxPoints: maxPoints)
        try s.forEach(
            """
            SELECT step, timestamp, value, is_nan FROM metrics WHERE run = \(run) AND key = \(key)
            ORDER BY step, timestamp, value
            """
        ) { row in
            sampler.add(
                SeriesPoint(
                    step: try row.get(0), timestamp: try row.get(1),
                    value: StoredValue.value(try row.get(2), isNan: try row.get(3))))
        }
        return sampler.finish()
    }
}
