import CairnCore
import CairnStore

extension SQLTrackingStore {
    public func searchModelVersions(_ query: ModelVersionQuery) async throws -> Page<ModelVersion> {
        try await read { s in
            let d = s.dialect
            var sql: SQLStatement = "\(sql: Self.versionSelect) WHERE 1 = 1"
            sql += Self.visibleCondition("rm.name", query.visible, numeric: false)
            for c in query.filter?.clauses ?? [] {
                switch c.field {
                case .name: sql += " AND " + (try SQLConditions.string("rm.name", c.comparator, c.value, d))
                case .runId: sql += " AND " + (try SQLConditions.string("mv.run_id", c.comparator, c.value, d))
                case .sourcePath: sql += " AND " + (try SQLConditions.string("mv.source", c.comparator, c.value, d))
                case .versionNumber: sql += " AND " + (try SQLConditions.numeric("mv.version", c.comparator, c.value))
                case .creationTimestamp:
                    sql += " AND " + (try SQLConditions.numeric("mv.creation_timestamp", c.comparator, c.value))
                case .lastUpdatedTimestamp:
                    sql += " AND " + (try SQLConditions.numeric("mv.last_updated_timestamp", c.comparator, c.value))
                case .tag(let key):
                    let (negated, comparator) = RegistryRules.tagCondition(key: key, comparator: c.comparator)
                    let test = try SQLConditions.string("t.value", comparator, c.value, d)
                    sql += """
                         AND \(sql: negated ? "NOT " : "")EXISTS (SELECT 1 FROM model_version_tags t
                        WHERE t.model = mv.model AND t.version = mv.version AND t.key = \(key) AND \(test))
                        """
                }
            }
            var order: [SQLStatement] = []
            for o in query.orderBy {
                let dir = o.ascending ? "ASC" : "DESC"
                switch o.field {
                case .name: order.append("rm.name \(sql: dir)")
                case .versionNumber: order.append("mv.version \(sql: dir)")
                case .creationTimestamp: order.append("mv.creation_timestamp \(sql: dir)")
                case .lastUpdatedTimestamp: order.append("mv.last_updated_timestamp \(sql: dir)")
                default: break
                }
            }
            if query.orderBy.isEmpty { order.append("mv.last_updated_timestamp DESC") }
            order.append("rm.name ASC")
            order.append("mv.version DESC")
            sql += " ORDER BY " + order.joined(separator: ", ")
            sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
            let rows = try s.fetchAll(sql)
            let items = try Self.versions(s, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: items, nextOffset: rows.count > query.maxResults ? query.offset + query.maxResults : nil)
        }
    }
}
