import CairnCore
import CairnStore

extension SQLTrackingStore {
    /// Reads a run's state, failing with 404 when absent; `lock` holds its row until commit so that
    /// writes to one run from several servers queue.
    static func requireRun(_ s: any SQLSession, _ uuid: String, lock: Bool = false) throws -> RunHandle {
        guard
            let row = try s.fetchOne(
                """
                SELECT id, experiment_id, lifecycle_stage FROM runs WHERE run_uuid = \(uuid)\
                \(sql: lock ? s.dialect.lockRows : "")
                """)
        else { throw MlflowError.noRun(uuid) }
        return RunHandle(
            key: try row.get("id"), uuid: uuid, experimentKey: try row.get("experiment_id"),
            stage: LifecycleStage(rawValue: try row.get("lifecycle_stage")) ?? .active)
    }

    /// Reads an active run, locked for the transaction.
    static func requireActiveRun(_ s: any SQLSession, _ uuid: String) throws -> RunHandle {
        let run = try requireRun(s, uuid, lock: true)
        try StoreRules.requireActive(run: uuid, stage: run.stage)
        return run
    }

    public func createRun(_ new: NewRun) async throws -> Run {
        try await write { s in
            let e = try Self.requireExperiment(s, new.experimentId)
            try StoreRules.requireActive(experiment: new.experimentId, stage: e.stage)
            let name = try StoreRules.runName(given: new.runName, tags: new.tags)
            let uuid = Identifiers.runId()
            let artifactUri = Self.join(Self.join(e.location, uuid), "artifacts")
            guard
                let key = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri,
                                      lifecycle_stage)
                    VALUES (\(uuid), \(e.key), \(name), \(new.userId), 'RUNNING', \(new.startTime), \(artifactUri),
                            'active')
                    RETURNING id
                    """)
            else { throw SQLStoreError.database("the new run's id was not returned") }
            let tags = StoreRules.initialTags(new.tags, name: name)
            try s.upsert(
                into: "tags", key: ["run", "key"], set: ["value"],
                rows: tags.map { [.int(key), .text($0.key), .text($0.value)] })
            let info = RunInfo(
                runId: uuid, runName: name, experimentId: String(e.key), userId: new.userId, status: .running,
                startTime: new.startTime, endTime: nil, artifactUri: artifactUri, lifecycleStage: .active)
            return Run(info: info, tags: tags.sorted { $0.key < $1.key })
        }
    }

    public func experimentId(ofRun id: String) async throws -> String {
        try await read { s in
            guard let key = try s.scalar(Int64.self, "SELECT experiment_id FROM runs WHERE run_uuid = \(id)") else {
                throw MlflowError.noRun(id)
            }
            return String(key)
        }
    }

    public func getRun(id: String) async throws -> Run {
        try await read { s in
            guard let row = try s.fetchOne("SELECT \(sql: RunRecord.columns) FROM runs r WHERE r.run_uuid = \(id)")
            else { throw MlflowError.noRun(id) }
            return try Self.loadRuns(s, records: [try RunRecord(row)])[0]
        }
    }

    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo {
        try await write { s in
            let run = try Self.requireActiveRun(s, id)
            if let status { try s.execute("UPDATE runs SET status = \(status.rawValue) WHERE id = \(run.key)") }
            if let endTime { try s.execute("UPDATE runs SET end_time = \(endTime) WHERE id = \(run.key)") }
            if let runName, !runName.isEmpty {
                try s.execute("UPDATE runs SET name = \(runName) WHERE id = \(run.key)")
                try s.upsert(
                    into: "tags", key: ["run", "key"], set: ["value"],
                    rows: [[.int(run.key), .text(StoreRules.runNameTag), .text(runName)]])
            }
            guard let row = try s.fetchOne("SELECT \(sql: RunRecord.columns) FROM runs r WHERE r.id = \(run.key)")
            else { throw MlflowError.noRun(id) }
            return try RunRecord(row).info
        }
    }

    public func setRunLifecycle(id: String, stage: LifecycleStage) async throws {
        try await write { s in
            let run = try Self.requireRun(s, id, lock: true)
            if stage == .active {
                let expStage = try s.scalar(
                    String.self, "SELECT lifecycle_stage FROM experiments WHERE experiment_id = \(run.experimentKey)")
                try StoreRules.checkRestore(
                    run: id, experiment: String(run.experimentKey),
                    experimentStage: LifecycleStage(rawValue: expStage ?? "") ?? .active)
            }
            try s.execute("UPDATE runs SET lifecycle_stage = \(stage.rawValue) WHERE id = \(run.key)")
        }
    }

    public func logBatch(runId: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) async throws {
        try await write { s in
            let run = try Self.requireActiveRun(s, runId)
            if !params.isEmpty {
                var existing: [String: String] = [:]
                try Self.inChunks(params.map(\.key)) { keys in
                    try s.forEach("SELECT key, value FROM params WHERE run = \(run.key) AND key IN \(keys)") { row in
                        existing[try row.get(0)] = try row.get(1)
                    }
                }
                var fresh: [[SQLValue]] = []
                for p in params where try StoreRules.paramNeedsInsert(p, existing: existing[p.key], runId: runId) {
                    existing[p.key] = p.value
                    fresh.append([.int(run.key), .text(p.key), .text(p.value)])
                }
                if !fresh.isEmpty {
                    try s.insertMany(into: "params", columns: ["run", "key", "value"], rows: fresh, suffix: "")
                }
            }
            if !tags.isEmpty {
                try s.upsert(
                    into: "tags", key: ["run", "key"], set: ["value"],
                    rows: tags.map { [.int(run.key), .text($0.key), .text($0.value)] })
                if let name = tags.last(where: { $0.key == StoreRules.runNameTag })?.value {
                    try s.execute("UPDATE runs SET name = \(name) WHERE id = \(run.key)")
                }
            }
            if !metrics.isEmpty { try Self.insertMetrics(s, run: run, metrics: metrics) }
        }
    }

    /// Stores metric points (exact duplicates ignored), keeps `latest_metrics` at each key's latest
    /// point, and copies points that name a logged model to that model.
    static func insertMetrics(_ s: any SQLSession, run: RunHandle, metrics: [Metric]) throws {
        try s.insertNew(
            into: "metrics",
            columns: [
                "run", "key", "step", "timestamp", "value", "is_nan", "model_id", "dataset_name", "dataset_digest",
            ],
            rows: metrics.map { m in
                let v = StoredValue(m.value)
                return [
                    .int(run.key), .text(m.key), .int(m.step), .int(m.timestamp), .double(v.value),
                    .int(v.isNan ? 1 : 0), m.modelId.sqlValue, m.datasetName.sqlValue, m.datasetDigest.sqlValue,
                ]
            })
        var latest = StoreRules.latestPerKey(metrics)
        try inChunks(Array(latest.keys)) { keys in
            try s.forEach(
                "SELECT key, step, timestamp, value, is_nan FROM latest_metrics WHERE run = \(run.key) AND key IN \(keys)"
            ) { row in
                let key: String = try row.get(0)
                let current = Metric(
                    key: key, value: StoredValue.value(try row.get(3), isNan: try row.get(4)),
                    timestamp: try row.get(2), step: try row.get(1))
                if let m = latest[key], !m.isLater(than: current) { latest[key] = nil }
            }
        }
        try s.upsert(
            into: "latest_metrics", key: ["run", "key"], set: ["step", "timestamp", "value", "is_nan"],
            rows: latest.sorted { $0.key < $1.key }.map { key, m in
                let v = StoredValue(m.value)
                return [
                    .int(run.key), .text(key), .int(m.step), .int(m.timestamp), .double(v.value), .int(v.isNan ? 1 : 0),
                ]
            })
        let modelMetrics = metrics.filter { $0.modelId != nil }
        guard !modelMetrics.isEmpty else { return }
        let ids = Array(Set(modelMetrics.compactMap(\.modelId)))
        let known = Set(try s.column(String.self, "SELECT model_id FROM logged_models WHERE model_id IN \(ids)"))
        try s.insertNew(
            into: "logged_model_metrics",
            columns: [
                "model_id", "run_id", "key", "step", "timestamp", "value", "is_nan", "dataset_name", "dataset_digest",
            ],
            rows: modelMetrics.filter { known.contains($0.modelId ?? "") }.map { m in
                let v = StoredValue(m.value)
                return [
                    m.modelId.sqlValue, .text(run.uuid), .text(m.key), .int(m.step), .int(m.timestamp),
                    .double(v.value),
                    .int(v.isNan ? 1 : 0), .text(m.datasetName ?? ""), .text(m.datasetDigest ?? ""),
                ]
            })
    }

    public func deleteTag(runId: String, key: String) async throws {
        try await write { s in
            let run = try Self.requireActiveRun(s, runId)
            if try s.execute("DELETE FROM tags WHERE run = \(run.key) AND key = \(key)") == 0 {
                throw MlflowError.notFound("No tag with name: \(key) in run with id \(runId)")
            }
        }
    }

    public func logInputs(runId: String, datasets: [DatasetInput], models: [String]) async throws {
        try await write { s in
            let run = try Self.requireActiveRun(s, runId)
            for input in datasets {
                let d = input.dataset
                try s.execute(
                    """
                    INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                    VALUES (\(run.experimentKey), \(d.name), \(d.digest), \(d.sourceType), \(d.source), \(d.schema),
                            \(d.profile))
                    ON CONFLICT (experiment_id, name, digest) DO NOTHING
                    """)
                guard
                    let datasetKey = try s.scalar(
                        Int64.self,
                        """
                        SELECT id FROM datasets WHERE experiment_id = \(run.experimentKey) AND name = \(d.name)
                        AND digest = \(d.digest)
                        """)
                else { throw SQLStoreError.database("the dataset row was not stored") }
                try s.insertNew(
                    into: "run_inputs", columns: ["run", "dataset"], rows: [[.int(run.key), .int(datasetKey)]])
                try s.upsert(
                    into: "input_tags", key: ["run", "dataset", "key"], set: ["value"],
                    rows: input.tags.map { [.int(run.key), .int(datasetKey), .text($0.key), .text($0.value)] })
            }
            try s.insertNew(
                into: "model_inputs", columns: ["run", "model_id"], rows: models.map { [.int(run.key), .text($0)] })
        }
    }

    public func logOutputs(runId: String, models: [ModelReference]) async throws {
        try await write { s in
            let run = try Self.requireActiveRun(s, runId)
            try s.insertNew(
                into: "model_outputs", columns: ["run", "model_id", "step"],
                rows: models.map { [.int(run.key), .text($0.modelId), .int($0.step ?? 0)] })
        }
    }
}
