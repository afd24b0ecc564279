import CairnCore
import CairnStore

/// The lifecycle state and artifact root of an experiment, as read inside a transaction.
struct ExperimentHandle {
    var key: Int64
    var stage: LifecycleStage
    var location: String
}

extension SQLTrackingStore {
    static func loadExperiment(_ s: any SQLSession, key: Int64) throws -> Experiment? {
        guard let row = try s.fetchOne("SELECT * FROM experiments WHERE experiment_id = \(key)") else { return nil }
        return try experiments(s, rows: [row])[0]
    }

    /// Loads experiments from rows of `experiments`, with the tags of all of them in one query per
    /// chunk of 500.
    static func experiments(_ s: any SQLSession, rows: [SQLRow]) throws -> [Experiment] {
        let keys: [Int64] = try rows.map { try $0.get("experiment_id") }
        var tags: [Int64: [KeyValue]] = [:]
        try inChunks(keys) { chunk in
            try s.forEach(
                "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN \(chunk) ORDER BY key"
            ) { row in
                tags[try row.get(0), default: []].append(KeyValue(try row.get(1), try row.get(2)))
            }
        }
        return try zip(rows, keys).map { row, key in
            Experiment(
                experimentId: String(key), name: try row.get("name"),
                artifactLocation: try row.get("artifact_location"),
                lifecycleStage: LifecycleStage(rawValue: try row.get("lifecycle_stage")) ?? .active,
                creationTime: try row.get("creation_time"), lastUpdateTime: try row.get("last_update_time"),
                tags: tags[key] ?? [])
        }
    }

    /// Reads an experiment's state, failing with 404 when absent; `lock` holds its row until commit.
    static func requireExperiment(_ s: any SQLSession, _ id: String, lock: Bool = false) throws -> ExperimentHandle {
        let key = try StoreRules.experimentKey(id)
        guard
            let row = try s.fetchOne(
                """
                SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = \(key)\
                \(sql: lock ? s.dialect.lockRows : "")
                """)
        else { throw MlflowError.noExperiment(id) }
        return ExperimentHandle(
            key: key, stage: LifecycleStage(rawValue: try row.get("lifecycle_stage")) ?? .active,
            location: try row.get("artifact_location"))
    }

    /// Reads an active experiment, locked for the transaction.
    static func requireActiveExperiment(_ s: any SQLSession, _ id: String) throws -> ExperimentHandle {
        let e = try requireExperiment(s, id, lock: true)
        try StoreRules.requireActive(experiment: id, stage: e.stage)
        return e
    }

    public func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) async throws -> String {
        let root = defaultArtifactRoot
        return try await write { s in
            if try s.exists("SELECT 1 FROM experiments WHERE name = \(name)") {
                throw StoreRules.experimentExists(name)
            }
            let now = Self.now()
            // The database numbers the experiment (max + 1 on SQLite, a sequence on PostgreSQL), so two servers
            // creating experiments at once never collide on the id; only the name can clash.
            let inserted: Int64?
            do {
                inserted = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES (\(name), '', 'active', \(now), \(now)) RETURNING experiment_id
                    """)
            } catch SQLStoreError.uniqueViolation {
                throw StoreRules.experimentExists(name)
            }
            guard let key = inserted else { throw SQLStoreError.database("the new experiment's id was not returned") }
            let location = artifactLocation?.isEmpty == false ? artifactLocation! : Self.join(root, String(key))
            try s.execute("UPDATE experiments SET artifact_location = \(location) WHERE experiment_id = \(key)")
            try s.upsert(
                into: "experiment_tags", key: ["experiment_id", "key"], set: ["value"],
                rows: tags.map { [.int(key), .text($0.key), .text($0.value)] })
            return String(key)
        }
    }

    public func getExperiment(id: String) async throws -> Experiment {
        let key = try StoreRules.experimentKey(id)
        return try await read { s in
            guard let e = try Self.loadExperiment(s, key: key) else { throw MlflowError.noExperiment(id) }
            return e
        }
    }

    public func getExperiment(name: String) async throws -> Experiment? {
        try await read { s in
            guard let row = try s.fetchOne("SELECT * FROM experiments WHERE name = \(name)") else { return nil }
            return try Self.experiments(s, rows: [row])[0]
        }
    }

    public func renameExperiment(id: String, newName: String) async throws {
        try await write { s in
            let e = try Self.requireExperiment(s, id, lock: true)
            guard e.stage == .active else {
                throw MlflowError(.invalidState, "Cannot rename a non-active experiment.")
            }
            if let other = try s.scalar(Int64.self, "SELECT experiment_id FROM experiments WHERE name = \(newName)"),
                other != e.key
            {
                throw StoreRules.experimentExists(newName)
            }
            do {
                try s.execute(
                    "UPDATE experiments SET name = \(newName), last_update_time = \(Self.now()) WHERE experiment_id = \(e.key)"
                )
            } catch SQLStoreError.uniqueViolation {
                throw StoreRules.experimentExists(newName)
            }
        }
    }

    public func setExperimentLifecycle(id: String, stage: LifecycleStage) async throws {
        try await write { s in
            let e = try Self.requireExperiment(s, id, lock: true)
            try StoreRules.checkLifecycle(experiment: e.key, from: e.stage, to: stage)
            try s.execute(
                """
                UPDATE experiments SET lifecycle_stage = \(stage.rawValue), last_update_time = \(Self.now())
                WHERE experiment_id = \(e.key)
                """)
            try s.execute("UPDATE runs SET lifecycle_stage = \(stage.rawValue) WHERE experiment_id = \(e.key)")
        }
    }

    public func setExperimentTag(id: String, tag: KeyValue) async throws {
        try await write { s in
            let e = try Self.requireActiveExperiment(s, id)
            try s.upsert(
                into: "experiment_tags", key: ["experiment_id", "key"], set: ["value"],
                rows: [[.int(e.key), .text(tag.key), .text(tag.value)]])
        }
    }

    public func deleteExperimentTag(id: String, key: String) async throws {
        try await write { s in
            let e = try Self.requireActiveExperiment(s, id)
            let n = try s.execute("DELETE FROM experiment_tags WHERE experiment_id = \(e.key) AND key = \(key)")
            if n == 0 { throw MlflowError.notFound("No tag with name: \(key) in experiment with id \(id)") }
        }
    }

    public func searchExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment> {
        try await read { s in
            var sql: SQLStatement =
                "SELECT * FROM experiments e WHERE e.lifecycle_stage IN \(query.viewType.stages.map(\.rawValue))"
            sql += Self.visibleCondition("e.experiment_id", query.visible, numeric: true)
            for clause in query.filter?.clauses ?? [] {
                sql += " AND " + (try Self.experimentCondition(clause, s.dialect))
            }
            var order: [SQLStatement] = []
            for o in query.orderBy {
                let dir = o.ascending ? "ASC" : "DESC"
                switch o.field {
                case .name: order.append("e.name \(sql: dir)")
                case .experimentId: order.append("e.experiment_id \(sql: dir)")
                case .creationTime: order.append("e.creation_time \(sql: dir)")
                case .lastUpdateTime: order.append("e.last_update_time \(sql: dir)")
                case .tag: break
                }
            }
            if query.orderBy.isEmpty { order.append("e.creation_time DESC") }
            order.append("e.experiment_id ASC")
            sql += " ORDER BY " + order.joined(separator: ", ")
            sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
            let rows = try s.fetchAll(sql)
            let items = try Self.experiments(s, rows: Array(rows.prefix(query.maxResults)))
            let more = rows.count > query.maxResults
            return Page(items: items, nextOffset: more ? query.offset + query.maxResults : nil)
        }
    }

    static func experimentCondition(_ c: ExperimentFilterClause, _ d: SQLDialect) throws -> SQLStatement {
        switch c.field {
        case .name: return try SQLConditions.string("e.name", c.comparator, c.value, d)
        case .experimentId:
            return try SQLConditions.string("CAST(e.experiment_id AS TEXT)", c.comparator, c.value, d)
        case .creationTime: return try SQLConditions.numeric("e.creation_time", c.comparator, c.value)
        case .lastUpdateTime: return try SQLConditions.numeric("e.last_update_time", c.comparator, c.value)
        case .tag(let key):
            let exists: SQLStatement =
                "SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = \(key)"
            switch c.comparator {
            case .isNull: return "NOT EXISTS (\(exists))"
            case .isNotNull: return "EXISTS (\(exists))"
            default:
                return "EXISTS (\(exists) AND \(try SQLConditions.string("t.value", c.comparator, c.value, d)))"
            }
        }
    }
}
