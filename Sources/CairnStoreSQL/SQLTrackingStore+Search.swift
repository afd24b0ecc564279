import CairnCore
import CairnStore

extension SQLTrackingStore {
    public func searchRuns(_ query: RunQuery) async throws -> Page<Run> {
        let experimentKeys = try query.experimentIds.map { id throws(MlflowError) in try StoreRules.experimentKey(id) }
        return try await read { s in
            let sql = try Self.runSearchSQL(query, experimentKeys: experimentKeys, s.dialect)
            var records: [RunRecord] = []
            try s.forEachRow(sql) { row in records.append(try RunRecord(row)) }
            let more = records.count > query.maxResults
            let runs = try Self.loadRuns(s, records: Array(records.prefix(query.maxResults)))
            return Page(items: runs, nextOffset: more ? query.offset + query.maxResults : nil)
        }
    }

    /// Translates a runs query into one SELECT with bound parameters only. NULLs sort last in
    /// either direction and NaN after numbers, on every backend.
    static func runSearchSQL(_ query: RunQuery, experimentKeys: [Int64], _ d: SQLDialect) throws -> SQLStatement {
        var joins: SQLStatement = ""
        var order: [SQLStatement] = []
        for (i, o) in query.orderBy.enumerated() {
            let alias = "o\(i)"
            let dir = o.ascending ? "ASC" : "DESC"
            switch o.field {
            case .metric(let key):
                joins +=
                    " LEFT JOIN latest_metrics \(sql: alias) ON \(sql: alias).run = r.id AND \(sql: alias).key = \(key)"
                order.append(
                    "(CASE WHEN \(sql: alias).value IS NULL THEN 1 ELSE 0 END), \(sql: alias).is_nan, \(sql: alias).value \(sql: dir)"
                )
            case .param(let key), .tag(let key):
                let table = o.field == .param(key) ? "params" : "tags"
                joins +=
                    " LEFT JOIN \(sql: table) \(sql: alias) ON \(sql: alias).run = r.id AND \(sql: alias).key = \(key)"
                order.append(
                    "(CASE WHEN \(sql: alias).value IS NULL THEN 1 ELSE 0 END), \(sql: alias).value \(sql: dir)")
            case .attribute(let a):
                let column = attributeColumn(a)
                order.append("(CASE WHEN \(sql: column) IS NULL THEN 1 ELSE 0 END), \(sql: column) \(sql: dir)")
            case .dataset:
                break
            }
        }
        order.append("r.start_time DESC")
        order.append("r.run_uuid ASC")

        var sql: SQLStatement = "SELECT \(sql: RunRecord.columns) FROM runs r"
        sql += joins
        sql += try runWhereSQL(query, experimentKeys: experimentKeys, d)
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
        return sql
    }

    /// The WHERE clause of a runs query: experiments, lifecycle stages and filter clauses.
    static func runWhereSQL(_ query: RunQuery, experimentKeys: [Int64], _ d: SQLDialect) throws -> SQLStatement {
        var sql: SQLStatement =
            " WHERE r.experiment_id IN \(experimentKeys) AND r.lifecycle_stage IN \(query.viewType.stages.map(\.rawValue))"
        for clause in query.filter.clauses {
            sql += " AND " + (try runCondition(clause, d))
        }
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

    static func runCondition(_ c: RunFilterClause, _ d: SQLDialect) throws -> SQLStatement {
        switch c.field {
        case .metric(let key):
            let base: SQLStatement = "SELECT 1 FROM latest_metrics m WHERE m.run = r.id AND m.key = \(key)"
            let test = try SQLConditions.numeric("m.value", c.comparator, c.value)
            if c.comparator == .notEqual {
                return "EXISTS (\(base) AND (m.is_nan = 1 OR \(test)))"
            }
            return "EXISTS (\(base) AND m.is_nan = 0 AND \(test))"
        case .param(let key), .tag(let key):
            // An uncorrelated subquery: the database builds the set of matching runs once through the
            // (key, value) index instead of probing every run of the experiment.
            let table = c.field == .param(key) ? "params" : "tags"
            let base: SQLStatement = "SELECT p.run FROM \(sql: table) p WHERE p.key = \(key)"
            switch c.comparator {
            case .isNull: return "r.id NOT IN (\(base))"
            case .isNotNull: return "r.id IN (\(base))"
            default: return "r.id IN (\(base) AND \(try SQLConditions.string("p.value", c.comparator, c.value, d)))"
            }
        case .attribute(let a):
            if a.isNumeric { return try SQLConditions.numeric(attributeColumn(a), c.comparator, c.value) }
            return try SQLConditions.string(attributeColumn(a), c.comparator, c.value, d)
        case .dataset(let field):
            switch field {
            case .name, .digest:
                let test = try SQLConditions.string(field == .name ? "d.name" : "d.digest", c.comparator, c.value, d)
                return """
                    EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset
                    WHERE ri.run = r.id AND \(test))
                    """
            case .context:
                let test = try SQLConditions.string("it.value", c.comparator, c.value, d)
                return """
                    EXISTS (SELECT 1 FROM input_tags it WHERE it.run = r.id AND it.key = 'mlflow.data.context'
                    AND \(test))
                    """
            }
        }
    }
}
