import CairnCore
import GRDB

extension SQLiteTrackingStore {
    static func experimentKey(_ id: String) throws(MlflowError) -> Int64 {
        guard let key = Int64(id) else {
            throw .invalid("Invalid experiment ID '\(id)'. Experiment ID must be a valid integer.")
        }
        guard key >= 0 else { throw .noExperiment(id) }
        return key
    }

    static func loadExperiment(_ db: Database, key: Int64) throws -> Experiment? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM experiments WHERE experiment_id = ?", arguments: [key])
        else { return nil }
        return try experiment(db, row: row)
    }

    static func experiment(_ db: Database, row: Row) throws -> Experiment {
        try experiments(db, rows: [row])[0]
    }

    /// Loads experiments from rows of `experiments`, with the tags of all of them in one query per
    /// chunk of 500.
    static func experiments(_ db: Database, rows: [Row]) throws -> [Experiment] {
        let keys: [Int64] = rows.map { $0["experiment_id"] }
        var tags: [Int64: [KeyValue]] = [:]
        try inChunks(keys) { chunk in
            for row in try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN \(chunk)
                        ORDER BY key
                        """))
            {
                tags[row[0], default: []].append(KeyValue(row[1], row[2]))
            }
        }
        return zip(rows, keys).map { row, key in
            Experiment(
                experimentId: String(key), name: row["name"], artifactLocation: row["artifact_location"],
                lifecycleStage: LifecycleStage(rawValue: row["lifecycle_stage"]) ?? .active,
                creationTime: row["creation_time"], lastUpdateTime: row["last_update_time"], tags: tags[key] ?? [])
        }
    }

    /// Fetches an experiment row, failing with 404 when absent.
    static func requireExperiment(_ db: Database, _ id: String) throws -> (
        key: Int64, stage: LifecycleStage, location: String
    ) {
        let key = try experimentKey(id)
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?",
                arguments: [key])
        else { throw MlflowError.noExperiment(id) }
        return (key, LifecycleStage(rawValue: row[0]) ?? .active, row[1])
    }

    public func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) async throws -> String {
        let root = defaultArtifactRoot
        return try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM experiments WHERE name = ?)", arguments: [name])
                == true
            {
                throw MlflowError(.resourceAlreadyExists, "Experiment '\(name)' already exists.")
            }
            let key = (try Int64.fetchOne(db, sql: "SELECT MAX(experiment_id) FROM experiments") ?? -1) + 1
            let location =
                (artifactLocation?.isEmpty == false ? artifactLocation! : Self.join(root, String(key)))
            let now = Self.now()
            try db.execute(
                sql: """
                    INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
                                             creation_time, last_update_time)
                    VALUES (?, ?, ?, 'active', ?, ?)
                    """,
                arguments: [key, name, location, now, now])
            for tag in tags {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)",
                    arguments: [key, tag.key, tag.value])
            }
            return String(key)
        }
    }

    public func getExperiment(id: String) async throws -> Experiment {
        let key = try Self.experimentKey(id)
        return try await read { db in
            guard let e = try Self.loadExperiment(db, key: key) else { throw MlflowError.noExperiment(id) }
            return e
        }
    }

    public func getExperiment(name: String) async throws -> Experiment? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM experiments WHERE name = ?", arguments: [name])
            else { return nil }
            return try Self.experiment(db, row: row)
        }
    }

    public func renameExperiment(id: String, newName: String) async throws {
        try await write { db in
            let e = try Self.requireExperiment(db, id)
            guard e.stage == .active else {
                throw MlflowError(.invalidState, "Cannot rename a non-active experiment.")
            }
            if let other = try Int64.fetchOne(
                db, sql: "SELECT experiment_id FROM experiments WHERE name = ?", arguments: [newName]), other != e.key
            {
                throw MlflowError(.resourceAlreadyExists, "Experiment '\(newName)' already exists.")
            }
            try db.execute(
                sql: "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                arguments: [newName, Self.now(), e.key])
        }
    }

    public func setExperimentLifecycle(id: String, stage: LifecycleStage) async throws {
        try await write { db in
            let e = try Self.requireExperiment(db, id)
            if stage == .deleted && e.key == 0 {
                throw MlflowError.invalid(
                    "Cannot delete the default experiment '0'. This is an internally reserved experiment.")
            }
            if stage == .active && e.stage == .active {
                throw MlflowError.invalid("Cannot restore an active experiment.")
            }
            let now = Self.now()
            try db.execute(
                sql: "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?",
                arguments: [stage.rawValue, now, e.key])
            try db.execute(
                sql: "UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?",
                arguments: [stage.rawValue, e.key])
        }
    }

    public func setExperimentTag(id: String, tag: KeyValue) async throws {
        try await write { db in
            let e = try Self.requireExperiment(db, id)
            guard e.stage == .active else {
                throw MlflowError.invalid(
                    "The experiment \(id) must be in the 'active' state. Current state is \(e.stage.rawValue).")
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)",
                arguments: [e.key, tag.key, tag.value])
        }
    }

    public func deleteExperimentTag(id: String, key: String) async throws {
        try await write { db in
            let e = try Self.requireExperiment(db, id)
            guard e.stage == .active else {
                throw MlflowError.invalid(
                    "The experiment \(id) must be in the 'active' state. Current state is \(e.stage.rawValue).")
            }
            try db.execute(
                sql: "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", arguments: [e.key, key])
            if db.changesCount == 0 {
                throw MlflowError.notFound("No tag with name: \(key) in experiment with id \(id)")
            }
        }
    }

    public func searchExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment> {
        try await read { db in
            var sql: SQL =
                "SELECT * FROM experiments e WHERE e.lifecycle_stage IN \(query.viewType.stages.map(\.rawValue))"
            for clause in query.filter?.clauses ?? [] {
                sql += " AND " + Self.experimentCondition(clause)
            }
            var order: [SQL] = []
            for o in query.orderBy {
                let dir: SQL = o.ascending ? "ASC" : "DESC"
                switch o.field {
                case .name: order.append("e.name \(dir)")
                case .experimentId: order.append("e.experiment_id \(dir)")
                case .creationTime: order.append("e.creation_time \(dir)")
                case .lastUpdateTime: order.append("e.last_update_time \(dir)")
                case .tag: break
                }
            }
            if query.orderBy.isEmpty { order.append("e.creation_time DESC") }
            order.append("e.experiment_id ASC")
            sql += " ORDER BY " + order.joined(separator: ", ")
            sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
            let rows = try Row.fetchAll(db, SQLRequest(literal: sql))
            let items = try Self.experiments(db, rows: Array(rows.prefix(query.maxResults)))
            let more = rows.count > query.maxResults
            return Page(items: items, nextOffset: more ? query.offset + query.maxResults : nil)
        }
    }

    static func experimentCondition(_ c: ExperimentFilterClause) -> SQL {
        switch c.field {
        case .name: return stringCondition("e.name", c.comparator, c.value)
        case .experimentId: return stringCondition("CAST(e.experiment_id AS TEXT)", c.comparator, c.value)
        case .creationTime: return numericCondition("e.creation_time", c.comparator, c.value)
        case .lastUpdateTime: return numericCondition("e.last_update_time", c.comparator, c.value)
        case .tag(let key):
            let exists: SQL =
                "SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = \(key)"
            switch c.comparator {
            case .isNull: return "NOT EXISTS (\(exists))"
            case .isNotNull: return "EXISTS (\(exists))"
            default: return "EXISTS (\(exists) AND \(stringCondition("t.value", c.comparator, c.value)))"
            }
        }
    }
}
