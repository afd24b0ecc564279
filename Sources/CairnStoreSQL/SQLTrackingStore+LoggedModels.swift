import CairnCore
import CairnStore

extension SQLTrackingStore {
    static func loadLoggedModel(_ s: any SQLSession, id: String, allowDeleted: Bool, lock: Bool = false) throws
        -> LoggedModel
    {
        guard
            let row = try s.fetchOne(
                "SELECT * FROM logged_models WHERE model_id = \(id)\(sql: lock ? s.dialect.lockRows : "")")
        else { throw RegistryRules.loggedModelNotFound(id) }
        let stage: String = try row.get("lifecycle_stage")
        guard allowDeleted || stage == LifecycleStage.active.rawValue else {
            throw RegistryRules.loggedModelNotFound(id)
        }
        return try loggedModels(s, rows: [row])[0]
    }

    /// Checks that an active logged model exists and locks its row for the transaction.
    static func requireLoggedModel(_ s: any SQLSession, id: String) throws {
        guard
            let stage = try s.scalar(
                String.self,
                "SELECT lifecycle_stage FROM logged_models WHERE model_id = \(id)\(sql: s.dialect.lockRows)"),
            stage == LifecycleStage.active.rawValue
        else { throw RegistryRules.loggedModelNotFound(id) }
    }

    /// Loads logged models from rows of `logged_models`; tags, params, metrics and registrations of all
    /// of them come in one query each per chunk of 500 models.
    static func loggedModels(_ s: any SQLSession, rows: [SQLRow]) throws -> [LoggedModel] {
        let ids: [String] = try rows.map { try $0.get("model_id") }
        var tags: [String: [KeyValue]] = [:]
        var params: [String: [KeyValue]] = [:]
        var metrics: [String: [Metric]] = [:]
        var registrations: [String: [(name: String, version: String)]] = [:]
        try inChunks(ids) { chunk in
            try s.forEach("SELECT model_id, key, value FROM logged_model_tags WHERE model_id IN \(chunk) ORDER BY key")
            {
                r in tags[try r.get(0), default: []].append(KeyValue(try r.get(1), try r.get(2)))
            }
            try s.forEach(
                "SELECT model_id, key, value FROM logged_model_params WHERE model_id IN \(chunk) ORDER BY key"
            ) { r in params[try r.get(0), default: []].append(KeyValue(try r.get(1), try r.get(2))) }
            try s.forEach(
                """
                SELECT model_id, key, value, is_nan, timestamp, step, run_id, dataset_name, dataset_digest
                FROM logged_model_metrics WHERE model_id IN \(chunk) ORDER BY key, step, timestamp
                """
            ) { r in
                let id: String = try r.get(0)
                let dn: String = try r.get(7)
                let dd: String = try r.get(8)
                metrics[id, default: []].append(
                    Metric(
                        key: try r.get(1), value: StoredValue.value(try r.get(2), isNan: try r.get(3)),
                        timestamp: try r.get(4), step: try r.get(5), modelId: id, datasetName: dn.isEmpty ? nil : dn,
                        datasetDigest: dd.isEmpty ? nil : dd, runId: try r.get(6)))
            }
            try s.forEach(
                """
                SELECT mv.model_id, rm.name, mv.version FROM model_versions mv
                JOIN registered_models rm ON rm.id = mv.model
                WHERE mv.model_id IN \(chunk) ORDER BY rm.name, mv.version
                """
            ) { r in
                let version: Int64 = try r.get(2)
                registrations[try r.get(0), default: []].append((name: try r.get(1), version: String(version)))
            }
        }
        return try zip(rows, ids).map { row, id in
            let expKey: Int64 = try row.get("experiment_id")
            return LoggedModel(
                modelId: id, experimentId: String(expKey), name: try row.get("name"),
                creationTimestamp: try row.get("creation_timestamp"),
                lastUpdatedTimestamp: try row.get("last_updated_timestamp"), artifactUri: try row.get("artifact_uri"),
                status: LoggedModelStatus(rawValue: try row.get("status")) ?? .pending,
                creatorId: try row.get("creator_id"), modelType: try row.get("model_type"),
                sourceRunId: try row.get("source_run_id"), statusMessage: try row.get("status_message"),
                tags: tags[id] ?? [], params: params[id] ?? [], metrics: metrics[id] ?? [],
                registrations: registrations[id] ?? [])
        }
    }

    public func createLoggedModel(_ new: NewLoggedModel) async throws -> LoggedModel {
        try await write { s in
            let e = try Self.requireExperiment(s, new.experimentId)
            try StoreRules.requireActive(experiment: new.experimentId, stage: e.stage)
            let id = Identifiers.loggedModelId()
            let now = Self.now()
            let uri = Self.join(Self.join(Self.join(e.location, "models"), id), "artifacts")
            let name = new.name.flatMap { $0.isEmpty ? nil : $0 } ?? NameGenerator.randomName()
            let sourceRun = new.sourceRunId.flatMap { $0.isEmpty ? nil : $0 }
            try s.execute(
                """
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_uri, status, creation_timestamp,
                    last_updated_timestamp, creator_id, model_type, source_run_id, lifecycle_stage)
                VALUES (\(id), \(e.key), \(name), \(uri), 'LOGGED_MODEL_PENDING', \(now), \(now), \(new.creatorId),
                        \(new.modelType), \(sourceRun), 'active')
                """)
            try s.upsert(
                into: "logged_model_params", key: ["model_id", "key"], set: ["value"],
                rows: new.params.map { [.text(id), .text($0.key), .text($0.value)] })
            try s.upsert(
                into: "logged_model_tags", key: ["model_id", "key"], set: ["value"],
                rows: new.tags.map { [.text(id), .text($0.key), .text($0.value)] })
            return try Self.loadLoggedModel(s, id: id, allowDeleted: false)
        }
    }

    public func getLoggedModel(id: String, allowDeleted: Bool) async throws -> LoggedModel {
        try await read { s in try Self.loadLoggedModel(s, id: id, allowDeleted: allowDeleted) }
    }

    public func finalizeLoggedModel(id: String, status: LoggedModelStatus) async throws -> LoggedModel {
        try await write { s in
            try Self.requireLoggedModel(s, id: id)
            try s.execute(
                """
                UPDATE logged_models SET status = \(status.rawValue), last_updated_timestamp = \(Self.now())
                WHERE model_id = \(id)
                """)
            return try Self.loadLoggedModel(s, id: id, allowDeleted: false)
        }
    }

    public func deleteLoggedModel(id: String) async throws {
        try await write { s in
            try Self.requireLoggedModel(s, id: id)
            try s.execute(
                """
                UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp = \(Self.now())
                WHERE model_id = \(id)
                """)
        }
    }

    public func setLoggedModelTags(id: String, tags: [KeyValue]) async throws {
        try await write { s in
            try Self.requireLoggedModel(s, id: id)
            try s.upsert(
                into: "logged_model_tags", key: ["model_id", "key"], set: ["value"],
                rows: tags.map { [.text(id), .text($0.key), .text($0.value)] })
            try s.execute("UPDATE logged_models SET last_updated_timestamp = \(Self.now()) WHERE model_id = \(id)")
        }
    }

    public func deleteLoggedModelTag(id: String, key: String) async throws {
        try await write { s in
            try Self.requireLoggedModel(s, id: id)
            if try s.execute("DELETE FROM logged_model_tags WHERE model_id = \(id) AND key = \(key)") == 0 {
                throw MlflowError.notFound("No tag with key '\(key)' found for logged model with ID '\(id)'.")
            }
        }
    }

    public func logLoggedModelParams(id: String, params: [KeyValue]) async throws {
        try await write { s in
            try Self.requireLoggedModel(s, id: id)
            try s.upsert(
                into: "logged_model_params", key: ["model_id", "key"], set: ["value"],
                rows: params.map { [.text(id), .text($0.key), .text($0.value)] })
        }
    }

}
