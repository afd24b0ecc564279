import CairnCore
import GRDB

extension SQLiteTrackingStore {
    static func loadLoggedModel(_ db: Database, id: String, allowDeleted: Bool) throws -> LoggedModel {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM logged_models WHERE model_id = ?", arguments: [id]),
            allowDeleted || row["lifecycle_stage"] == LifecycleStage.active.rawValue
        else { throw MlflowError.notFound("Logged model with ID '\(id)' not found.") }
        return try loggedModel(db, row: row)
    }

    static func loggedModel(_ db: Database, row: Row) throws -> LoggedModel {
        try loggedModels(db, rows: [row])[0]
    }

    /// Loads logged models from rows of `logged_models`; tags, params, metrics and registrations of all
    /// of them come in one query each per chunk of 500 models.
    static func loggedModels(_ db: Database, rows: [Row]) throws -> [LoggedModel] {
        let ids: [String] = rows.map { $0["model_id"] }
        var tags: [String: [KeyValue]] = [:]
        var params: [String: [KeyValue]] = [:]
        var metrics: [String: [Metric]] = [:]
        var registrations: [String: [(name: String, version: String)]] = [:]
        try inChunks(ids) { chunk in
            for r in try Row.fetchAll(
                db,
                SQLRequest(
                    literal:
                        "SELECT model_id, key, value FROM logged_model_tags WHERE model_id IN \(chunk) ORDER BY key"))
            {
                tags[r[0], default: []].append(KeyValue(r[1], r[2]))
            }
            for r in try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT model_id, key, value FROM logged_model_params WHERE model_id IN \(chunk) ORDER BY key
                        """))
            {
                params[r[0], default: []].append(KeyValue(r[1], r[2]))
            }
            for r in try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT model_id, key, value, is_nan, timestamp, step, run_id, dataset_name, dataset_digest
                        FROM logged_model_metrics WHERE model_id IN \(chunk) ORDER BY key, step, timestamp
                        """))
            {
                let id: String = r[0]
                let isNan: Bool = r[3]
                let dn: String = r[7]
                let dd: String = r[8]
                metrics[id, default: []].append(
                    Metric(
                        key: r[1], value: isNan ? .nan : r[2], timestamp: r[4], step: r[5], modelId: id,
                        datasetName: dn.isEmpty ? nil : dn, datasetDigest: dd.isEmpty ? nil : dd, runId: r[6]))
            }
            for r in try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT mv.model_id, rm.name, mv.version FROM model_versions mv
                        JOIN registered_models rm ON rm.id = mv.model
                        WHERE mv.model_id IN \(chunk) ORDER BY rm.name, mv.version
                        """))
            {
                registrations[r[0], default: []].append((name: r[1] as String, version: String(r[2] as Int64)))
            }
        }
        return zip(rows, ids).map { row, id in
            let expKey: Int64 = row["experiment_id"]
            return LoggedModel(
                modelId: id, experimentId: String(expKey), name: row["name"],
                creationTimestamp: row["creation_timestamp"], lastUpdatedTimestamp: row["last_updated_timestamp"],
                artifactUri: row["artifact_uri"], status: LoggedModelStatus(rawValue: row["status"]) ?? .pending,
                creatorId: row["creator_id"], modelType: row["model_type"], sourceRunId: row["source_run_id"],
                statusMessage: row["status_message"], tags: tags[id] ?? [], params: params[id] ?? [],
                metrics: metrics[id] ?? [], registrations: registrations[id] ?? [])
        }
    }

    public func createLoggedModel(_ new: NewLoggedModel) async throws -> LoggedModel {
        try await write { db in
            let e = try Self.requireExperiment(db, new.experimentId)
            guard e.stage == .active else {
                throw MlflowError.invalid(
                    "The experiment \(new.experimentId) must be in the 'active' state. Current state is \(e.stage.rawValue)."
                )
            }
            let id = Identifiers.loggedModelId()
            let now = Self.now()
            let uri = Self.join(Self.join(Self.join(e.location, "models"), id), "artifacts")
            try db.execute(
                sql: """
                    INSERT INTO logged_models (model_id, experiment_id, name, artifact_uri, status, creation_timestamp,
                        last_updated_timestamp, creator_id, model_type, source_run_id, lifecycle_stage)
                    VALUES (?, ?, ?, ?, 'LOGGED_MODEL_PENDING', ?, ?, ?, ?, ?, 'active')
                    """,
                arguments: [
                    id, e.key, new.name.flatMap { $0.isEmpty ? nil : $0 } ?? NameGenerator.randomName(), uri, now, now,
                    new.creatorId, new.modelType, new.sourceRunId.flatMap { $0.isEmpty ? nil : $0 },
                ])
            for p in new.params {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)",
                    arguments: [id, p.key, p.value])
            }
            for t in new.tags {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)",
                    arguments: [id, t.key, t.value])
            }
            return try Self.loadLoggedModel(db, id: id, allowDeleted: false)
        }
    }

    public func getLoggedModel(id: String, allowDeleted: Bool) async throws -> LoggedModel {
        try await read { db in try Self.loadLoggedModel(db, id: id, allowDeleted: allowDeleted) }
    }

    public func finalizeLoggedModel(id: String, status: LoggedModelStatus) async throws -> LoggedModel {
        try await write { db in
            _ = try Self.loadLoggedModel(db, id: id, allowDeleted: false)
            try db.execute(
                sql: "UPDATE logged_models SET status = ?, last_updated_timestamp = ? WHERE model_id = ?",
                arguments: [status.rawValue, Self.now(), id])
            return try Self.loadLoggedModel(db, id: id, allowDeleted: false)
        }
    }

    public func deleteLoggedModel(id: String) async throws {
        try await write { db in
            _ = try Self.loadLoggedModel(db, id: id, allowDeleted: false)
            try db.execute(
                sql:
                    "UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp = ? WHERE model_id = ?",
                arguments: [Self.now(), id])
        }
    }

    public func setLoggedModelTags(id: String, tags: [KeyValue]) async throws {
        try await write { db in
            _ = try Self.loadLoggedModel(db, id: id, allowDeleted: false)
            for t in tags {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)",
                    arguments: [id, t.key, t.value])
            }
            try db.execute(
                sql: "UPDATE logged_models SET last_updated_timestamp = ? WHERE model_id = ?",
                arguments: [Self.now(), id])
        }
    }

    public func deleteLoggedModelTag(id: String, key: String) async throws {
        try await write { db in
            _ = try Self.loadLoggedModel(db, id: id, allowDeleted: false)
            try db.execute(sql: "DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?", arguments: [id, key])
            if db.changesCount == 0 {
                throw MlflowError.notFound("No tag with key '\(key)' found for logged model with ID '\(id)'.")
            }
        }
    }

    public func logLoggedModelParams(id: String, params: [KeyValue]) async throws {
        try await write { db in
            _ = try Self.loadLoggedModel(db, id: id, allowDeleted: false)
            for p in params {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)",
                    arguments: [id, p.key, p.value])
            }
        }
    }

    public func searchLoggedModels(_ query: LoggedModelQuery) async throws -> Page<LoggedModel> {
        var keys: [Int64] = []
        for id in query.experimentIds {
            keys.append(try Self.experimentKey(id))
        }
        var sql: SQL =
            "SELECT lm.* FROM logged_models lm WHERE lm.lifecycle_stage = 'active' AND lm.experiment_id IN \(keys)"
        for c in query.filter?.clauses ?? [] {
            sql += " AND " + Self.loggedModelCondition(c, datasets: query.datasets)
        }
        var order: [SQL] = []
        var ordersByCreation = false
        var ordersById = false
        for (i, o) in query.orderBy.enumerated() {
            let dir = o.ascending ? "ASC" : "DESC"
            if let dot = o.fieldName.firstIndex(of: ".") {
                guard o.fieldName[..<dot] == "metrics" else {
                    throw MlflowError.invalid(
                        "Invalid order by field name: \(o.fieldName). Only metrics are supported.")
                }
                // The model's latest value of the metric: newest timestamp, then highest step.
                let key = String(o.fieldName[o.fieldName.index(after: dot)...])
                let x = "x" + String(i)
                var sub: SQL = """
                    (SELECT CASE WHEN \(sql: x).is_nan = 1 THEN NULL ELSE \(sql: x).value END
                     FROM logged_model_metrics \(sql: x)
                     WHERE \(sql: x).model_id = lm.model_id AND \(sql: x).key = \(key)
                    """
                if let dn = o.datasetName, !dn.isEmpty { sub += " AND \(sql: x).dataset_name = \(dn)" }
                if let dd = o.datasetDigest, !dd.isEmpty { sub += " AND \(sql: x).dataset_digest = \(dd)" }
                sub += " ORDER BY \(sql: x).timestamp DESC, \(sql: x).step DESC, \(sql: x).run_id ASC LIMIT 1)"
                order.append("(\(sub) IS NULL), \(sub) \(sql: dir)")
            } else if let a = LoggedModelAttribute(alias: o.fieldName) {
                if a == .creationTimestamp { ordersByCreation = true }
                if a == .modelId { ordersById = true }
                let col = Self.loggedModelColumn(a)
                order.append(SQL(sql: "(\(col) IS NULL), \(col) \(dir)"))
            } else {
                throw MlflowError.invalid("Invalid order by field name: \(o.fieldName)")
            }
        }
        if !ordersByCreation { order.append("lm.creation_timestamp DESC") }
        if !ordersById { order.append("lm.model_id ASC") }
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
        let finalSQL = sql
        return try await read { db in
            let rows = try Row.fetchAll(db, SQLRequest(literal: finalSQL))
            let items = try Self.loggedModels(db, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: items, nextOffset: rows.count > query.maxResults ? query.offset + query.maxResults : nil)
        }
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

    static func loggedModelCondition(_ c: LoggedModelFilterClause, datasets: [(name: String, digest: String?)]) -> SQL {
        switch c.field {
        case .attribute(let a):
            if a == .creationTimestamp || a == .lastUpdatedTimestamp {
                return numericCondition(loggedModelColumn(a), c.comparator, c.value)
            }
            return stringCondition(loggedModelColumn(a), c.comparator, c.value)
        case .metric(let key):
            var sub: SQL = "SELECT 1 FROM logged_model_metrics x WHERE x.model_id = lm.model_id AND x.key = \(key)"
            if !datasets.isEmpty {
                var any: [SQL] = []
                for d in datasets {
                    if let digest = d.digest {
                        any.append("(x.dataset_name = \(d.name) AND x.dataset_digest = \(digest))")
                    } else {
                        any.append("x.dataset_name = \(d.name)")
                    }
                }
                sub += " AND (" + any.joined(separator: " OR ") + ")"
            }
            return "EXISTS (\(sub) AND x.is_nan = 0 AND \(numericCondition("x.value", c.comparator, c.value)))"
        case .param(let key):
            return """
                EXISTS (SELECT 1 FROM logged_model_params x WHERE x.model_id = lm.model_id AND x.key = \(key)
                AND \(stringCondition("x.value", c.comparator, c.value)))
                """
        case .tag(let key):
            return """
                EXISTS (SELECT 1 FROM logged_model_tags x WHERE x.model_id = lm.model_id AND x.key = \(key)
                AND \(stringCondition("x.value", c.comparator, c.value)))
                """
        }
    }
}
