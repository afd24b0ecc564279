import CairnCore
import CairnStore

extension SQLTrackingStore {
    public func searchLoggedModels(_ query: LoggedModelQuery) async throws -> Page<LoggedModel> {
        let keys = try query.experimentIds.map { id throws(MlflowError) in try StoreRules.experimentKey(id) }
        return try await read { s in
            var sql: SQLStatement =
                "SELECT lm.* FROM logged_models lm WHERE lm.lifecycle_stage = 'active' AND lm.experiment_id IN \(keys)"
            sql += Self.visibleCondition("lm.experiment_id", query.visible, numeric: true)
            for c in query.filter?.clauses ?? [] {
                sql += " AND " + (try Self.loggedModelCondition(c, datasets: query.datasets, s.dialect))
            }
            sql += " ORDER BY " + (try Self.loggedModelOrder(query.orderBy)).joined(separator: ", ")
            sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
            let rows = try s.fetchAll(sql)
            let items = try Self.loggedModels(s, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: items, nextOffset: rows.count > query.maxResults ? query.offset + query.maxResults : nil)
        }
    }

    /// The ORDER BY terms of a logged-models search; ties fall back to newest first, then id.
    static func loggedModelOrder(_ orderBy: [LoggedModelOrder]) throws -> [SQLStatement] {
        var order: [SQLStatement] = []
        var ordersByCreation = false
        var ordersById = false
        for (i, o) in orderBy.enumerated() {
            let dir = o.ascending ? "ASC" : "DESC"
            if let dot = o.fieldName.firstIndex(of: ".") {
                guard o.fieldName[..<dot] == "metrics" else {
                    throw MlflowError.invalid(
                        "Invalid order by field name: \(o.fieldName). Only metrics are supported.")
                }
                // The model's latest value of the metric: newest timestamp, then highest step.
                let key = String(o.fieldName[o.fieldName.index(after: dot)...])
                let x = "x" + String(i)
                var sub: SQLStatement = """
                    (SELECT CASE WHEN \(sql: x).is_nan = 1 THEN NULL ELSE \(sql: x).value END
                     FROM logged_model_metrics \(sql: x)
                     WHERE \(sql: x).model_id = lm.model_id AND \(sql: x).key = \(key)
                    """
                if let dn = o.datasetName, !dn.isEmpty { sub += " AND \(sql: x).dataset_name = \(dn)" }
                if let dd = o.datasetDigest, !dd.isEmpty { sub += " AND \(sql: x).dataset_digest = \(dd)" }
                sub += " ORDER BY \(sql: x).timestamp DESC, \(sql: x).step DESC, \(sql: x).run_id ASC LIMIT 1)"
                order.append("(CASE WHEN \(sub) IS NULL THEN 1 ELSE 0 END), \(sub) \(sql: dir)")
            } else if let a = LoggedModelAttribute(alias: o.fieldName) {
                if a == .creationTimestamp { ordersByCreation = true }
                if a == .modelId { ordersById = true }
                let col = loggedModelColumn(a)
                order.append("(CASE WHEN \(sql: col) IS NULL THEN 1 ELSE 0 END), \(sql: col) \(sql: dir)")
            } else {
                throw MlflowError.invalid("Invalid order by field name: \(o.fieldName)")
            }
        }
        if !ordersByCreation { order.append("lm.creation_timestamp DESC") }
        if !ordersById { order.append("lm.model_id ASC") }
        return order
    }

    static func loggedModelColumn(_ a: LoggedModelAttribute) -> String {
        switch a {
        case .name: "lm.name"
        case .modelId: "lm.model_id"
        case .modelType: "lm.model_type"
        case .status: "lm.status"
        case .sourceRunId: "lm.source_run_id"
        case .creationTimestamp: "lm.creation_timestamp"
        case .lastUpdatedTimestamp: "lm.last_updated_timestamp"
        }
    }

    static func loggedModelCondition(
        _ c: LoggedModelFilterClause, datasets: [(name: String, digest: String?)], _ d: SQLDialect
    ) throws -> SQLStatement {
        switch c.field {
        case .attribute(let a):
            if a == .creationTimestamp || a == .lastUpdatedTimestamp {
                return try SQLConditions.numeric(loggedModelColumn(a), c.comparator, c.value)
            }
            return try SQLConditions.string(loggedModelColumn(a), c.comparator, c.value, d)
        case .metric(let key):
            var sub: SQLStatement =
                "SELECT 1 FROM logged_model_metrics x WHERE x.model_id = lm.model_id AND x.key = \(key)"
            if !datasets.isEmpty {
                var any: [SQLStatement] = []
                for ds in datasets {
                    if let digest = ds.digest {
                        any.append("(x.dataset_name = \(ds.name) AND x.dataset_digest = \(digest))")
                    } else {
                        any.append("x.dataset_name = \(ds.name)")
                    }
                }
                sub += " AND (" + any.joined(separator: " OR ") + ")"
            }
            let test = try SQLConditions.numeric("x.value", c.comparator, c.value)
            return "EXISTS (\(sub) AND x.is_nan = 0 AND \(test))"
        case .param(let key):
            let test = try SQLConditions.string("x.value", c.comparator, c.value, d)
            return """
                EXISTS (SELECT 1 FROM logged_model_params x WHERE x.model_id = lm.model_id AND x.key = \(key)
                AND \(test))
                """
        case .tag(let key):
            let test = try SQLConditions.string("x.value", c.comparator, c.value, d)
            return """
                EXISTS (SELECT 1 FROM logged_model_tags x WHERE x.model_id = lm.model_id AND x.key = \(key)
                AND \(test))
                """
        }
    }
}
