import CairnCore
import GRDB

extension SQLiteTrackingStore {
    public func searchRuns(_ query: RunQuery) async throws -> Page<Run> {
        var experimentKeys: [Int64] = []
        for id in query.experimentIds {
            experimentKeys.append(try Self.experimentKey(id))
        }
        let sql = Self.runSearchSQL(query, experimentKeys: experimentKeys)
        return try await read { db in
            let rows = try Row.fetchAll(db, SQLRequest(literal: sql))
            let more = rows.count > query.maxResults
            let runs = try Self.loadRuns(db, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: runs, nextOffset: more ? query.offset + query.maxResults : nil)
        }
    }

    /// Translates a runs query into one SELECT with bound parameters only.
    static func runSearchSQL(_ query: RunQuery, experimentKeys: [Int64]) -> SQL {
        var joins: SQL = ""
        var order: [SQL] = []
        for (i, o) in query.orderBy.enumerated() {
            let alias = "o\(i)"
            let dir = o.ascending ? "ASC" : "DESC"
            switch o.field {
            case .metric(let key):
                joins += SQL(sql: " LEFT JOIN latest_metrics \(alias) ON \(alias).run = r.id AND \(alias).key = ")
                joins += "\(key)"
                order.append(SQL(sql: "(\(alias).value IS NULL), \(alias).is_nan, \(alias).value \(dir)"))
            case .param(let key), .tag(let key):
                let table = o.field == .param(key) ? "params" : "tags"
                joins += SQL(sql: " LEFT JOIN \(table) \(alias) ON \(alias).run = r.id AND \(alias).key = ")
                joins += "\(key)"
                order.append(SQL(sql: "(\(alias).value IS NULL), \(alias).value \(dir)"))
            case .attribute(let a):
                let column = attributeColumn(a)
                order.append(SQL(sql: "(\(column) IS NULL), \(column) \(dir)"))
            case .dataset:
                break
            }
        }
        order.append("r.start_time DESC")
        order.append("r.run_uuid ASC")

        var sql: SQL = "SELECT \(sql: runColumns) FROM runs r"
        sql += joins
        sql +=
            " WHERE r.experiment_id IN \(experimentKeys) AND r.lifecycle_stage IN \(query.viewType.stages.map(\.rawValue))"
        for clause in query.filter.clauses {
            sql += " AND " + runCondition(clause)
        }
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
        return sql
    }

    static func attributeColumn(_ a: RunAttribute) -> String {
        switch a {
        case .runId: "r.run_uuid"
        case .runName: "r.name"
        case .userId: "r.user_id"
        case .status: "r.status"
        case .startTime: "r.start_time"
        case .endTime: "r.end_time"
        case .artifactUri: "r.artifact_uri"
        case .lifecycleStage: "r.lifecycle_stage"
        }
    }

    static func runCondition(_ c: RunFilterClause) -> SQL {
        switch c.field {
        case .metric(let key):
            let base: SQL = "SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.key = \(key)"
            if c.comparator == .notEqual {
                return "EXISTS (\(base) AND (m.is_nan = 1 OR \(numericCondition("m.value", c.comparator, c.value))))"
            }
            return "EXISTS (\(base) AND m.is_nan = 0 AND \(numericCondition("m.value", c.comparator, c.value)))"
        case .param(let key), .tag(let key):
            let table = c.field == .param(key) ? "params" : "tags"
            if c.comparator == .equal, case .string(let value) = c.value {
                // Selective and indexed (key, value, run): let SQLite start from the matching runs.
                return "r.id IN (SELECT run FROM \(sql: table) WHERE key = \(key) AND value = \(value))"
            }
            let base: SQL = "SELECT 1 FROM \(sql: table) p WHERE p.run = r.id AND p.key = \(key)"
            switch c.comparator {
            case .isNull: return "NOT EXISTS (\(base))"
            case .isNotNull: return "EXISTS (\(base))"
            default: return "EXISTS (\(base) AND \(stringCondition("p.value", c.comparator, c.value)))"
            }
        case .attribute(let a):
            if a.isNumeric { return numericCondition(attributeColumn(a), c.comparator, c.value) }
            return stringCondition(attributeColumn(a), c.comparator, c.value)
        case .dataset(let field):
            switch field {
            case .name, .digest:
                return """
                    EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset
                    WHERE ri.run = r.id AND \(stringCondition(field == .name ? "d.name" : "d.digest", c.comparator, c.value)))
                    """
            case .context:
                return """
                    EXISTS (SELECT 1 FROM input_tags it WHERE it.run = r.id AND it.key = 'mlflow.data.context'
                    AND \(stringCondition("it.value", c.comparator, c.value)))
                    """
            }
        }
    }
}
