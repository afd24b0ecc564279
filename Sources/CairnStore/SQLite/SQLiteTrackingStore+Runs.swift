import CairnCore
import GRDB

/// The internal key and state of a run, as looked up inside a transaction.
struct RunHandle {
    var key: Int64
    var uuid: String
    var experimentKey: Int64
    var stage: LifecycleStage
}

extension SQLiteTrackingStore {
    static let runColumns =
        "r.id, r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage"

    static func requireRun(_ db: Database, _ uuid: String) throws -> RunHandle {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT id, experiment_id, lifecycle_stage FROM runs WHERE run_uuid = ?", arguments: [uuid])
        else { throw MlflowError.noRun(uuid) }
        return RunHandle(
            key: row[0], uuid: uuid, experimentKey: row[1], stage: LifecycleStage(rawValue: row[2]) ?? .active)
    }

    static func requireActiveRun(_ db: Database, _ uuid: String) throws -> RunHandle {
        let run = try requireRun(db, uuid)
        guard run.stage == .active else {
            throw MlflowError.invalid(
                "The run \(uuid) must be in the 'active' state. Current state is \(run.stage.rawValue).")
        }
        return run
    }

    public func createRun(_ new: NewRun) async throws -> Run {
        try await write { db in
            let e = try Self.requireExperiment(db, new.experimentId)
            guard e.stage == .active else {
                throw MlflowError.invalid(
                    "The experiment \(new.experimentId) must be in the 'active' state. Current state is \(e.stage.rawValue)."
                )
            }
            let tagName = new.tags.last { $0.key == "mlflow.runName" }?.value
            if let given = new.runName, !given.isEmpty, let tagName, tagName != given {
                throw MlflowError.invalid(
                    "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                        + "(run_name='\(given)', mlflow.runName='\(tagName)').")
            }
            let name = new.runName.flatMap { $0.isEmpty ? nil : $0 } ?? tagName ?? NameGenerator.randomName()
            let uuid = Identifiers.runId()
            let artifactUri = Self.join(Self.join(e.location, uuid), "artifacts")
            try db.execute(
                sql: """
                    INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri,
                                      lifecycle_stage)
                    VALUES (?, ?, ?, ?, 'RUNNING', ?, ?, 'active')
                    """,
                arguments: [uuid, e.key, name, new.userId, new.startTime, artifactUri])
            let key = db.lastInsertedRowID
            var tags = new.tags.filter { $0.key != "mlflow.runName" }
            tags.append(KeyValue("mlflow.runName", name))
            for tag in tags {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO tags (run, key, value) VALUES (?, ?, ?)",
                    arguments: [key, tag.key, tag.value])
            }
            let info = RunInfo(
                runId: uuid, runName: name, experimentId: String(e.key), userId: new.userId, status: .running,
                startTime: new.startTime, endTime: nil, artifactUri: artifactUri, lifecycleStage: .active)
            return Run(info: info, tags: tags.sorted { $0.key < $1.key })
        }
    }

    public func getRun(id: String) async throws -> Run {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.runColumns) FROM runs r WHERE r.run_uuid = ?", arguments: [id])
            else { throw MlflowError.noRun(id) }
            return try Self.loadRuns(db, rows: [row])[0]
        }
    }

    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo {
        try await write { db in
            let run = try Self.requireActiveRun(db, id)
            if let status {
                try db.execute(sql: "UPDATE runs SET status = ? WHERE id = ?", arguments: [status.rawValue, run.key])
            }
            if let endTime {
                try db.execute(sql: "UPDATE runs SET end_time = ? WHERE id = ?", arguments: [endTime, run.key])
            }
            if let runName, !runName.isEmpty {
                try db.execute(sql: "UPDATE runs SET name = ? WHERE id = ?", arguments: [runName, run.key])
                try db.execute(
                    sql: "INSERT OR REPLACE INTO tags (run, key, value) VALUES (?, 'mlflow.runName', ?)",
                    arguments: [run.key, runName])
            }
            let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.runColumns) FROM runs r WHERE r.id = ?", arguments: [run.key])!
            return Self.runInfo(row)
        }
    }

    public func setRunLifecycle(id: String, stage: LifecycleStage) async throws {
        try await write { db in
            let run = try Self.requireRun(db, id)
            if stage == .active {
                let expStage = try String.fetchOne(
                    db, sql: "SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?",
                    arguments: [run.experimentKey])
                if expStage == LifecycleStage.deleted.rawValue {
                    throw MlflowError.invalid(
                        "Cannot restore run \(id): its experiment \(run.experimentKey) is deleted. Restore the experiment first."
                    )
                }
            }
            try db.execute(
                sql: "UPDATE runs SET lifecycle_stage = ? WHERE id = ?", arguments: [stage.rawValue, run.key])
        }
    }

    public func logBatch(runId: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) async throws {
        try await write { db in
            let run = try Self.requireActiveRun(db, runId)
            if !params.isEmpty {
                let lookup = try db.cachedStatement(sql: "SELECT value FROM params WHERE run = ? AND key = ?")
                let insert = try db.cachedStatement(sql: "INSERT INTO params (run, key, value) VALUES (?, ?, ?)")
                for p in params {
                    if let existing = try String.fetchOne(lookup, arguments: [run.key, p.key]) {
                        if existing != p.value {
                            throw MlflowError.invalid(
                                "Changing param values is not allowed. Param with key='\(p.key)' was already logged "
                                    + "with value='\(existing)' for run ID='\(runId)'. Attempted logging new value '\(p.value)'."
                            )
                        }
                    } else {
                        try insert.execute(arguments: [run.key, p.key, p.value])
                    }
                }
            }
            if !tags.isEmpty {
                let upsert = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO tags (run, key, value) VALUES (?, ?, ?)")
                for t in tags {
                    try upsert.execute(arguments: [run.key, t.key, t.value])
                    if t.key == "mlflow.runName" {
                        try db.execute(sql: "UPDATE runs SET name = ? WHERE id = ?", arguments: [t.value, run.key])
                    }
                }
            }
            if !metrics.isEmpty {
                try Self.insertMetrics(db, run: run, metrics: metrics)
            }
        }
    }

    static func insertMetrics(_ db: Database, run: RunHandle, metrics: [Metric]) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO metrics (run, key, step, timestamp, value, is_nan, model_id, dataset_name,
                                               dataset_digest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var latest: [String: Metric] = [:]
        var modelMetrics: [Metric] = []
        for m in metrics {
            let nan = m.value.isNaN
            try insert.execute(arguments: [
                run.key, m.key, m.step, m.timestamp, nan ? 0.0 : m.value, nan ? 1 : 0, m.modelId, m.datasetName,
                m.datasetDigest,
            ])
            if let current = latest[m.key] {
                if m.isLater(than: current) { latest[m.key] = m }
            } else {
                latest[m.key] = m
            }
            if m.modelId != nil { modelMetrics.append(m) }
        }
        let lookup = try db.cachedStatement(
            sql: "SELECT step, timestamp, value, is_nan FROM latest_metrics WHERE run = ? AND key = ?")
        let upsert = try db.cachedStatement(
            sql:
                "INSERT OR REPLACE INTO latest_metrics (run, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)"
        )
        for (key, m) in latest {
            if let row = try Row.fetchOne(lookup, arguments: [run.key, key]) {
                let isNan: Bool = row[3]
                let current = Metric(key: key, value: isNan ? .nan : row[2], timestamp: row[1], step: row[0])
                if !m.isLater(than: current) { continue }
            }
            let nan = m.value.isNaN
            try upsert.execute(arguments: [run.key, key, m.step, m.timestamp, nan ? 0.0 : m.value, nan ? 1 : 0])
        }
        if !modelMetrics.isEmpty {
            let modelInsert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO logged_model_metrics (model_id, run_id, key, step, timestamp, value, is_nan,
                                                                dataset_name, dataset_digest)
                    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM logged_models WHERE model_id = ?)
                    """)
            for m in modelMetrics {
                let nan = m.value.isNaN
                try modelInsert.execute(arguments: [
                    m.modelId, run.uuid, m.key, m.step, m.timestamp, nan ? 0.0 : m.value, nan ? 1 : 0,
                    m.datasetName ?? "", m.datasetDigest ?? "", m.modelId,
                ])
            }
        }
    }

    public func deleteTag(runId: String, key: String) async throws {
        try await write { db in
            let run = try Self.requireActiveRun(db, runId)
            try db.execute(sql: "DELETE FROM tags WHERE run = ? AND key = ?", arguments: [run.key, key])
            if db.changesCount == 0 {
                throw MlflowError.notFound("No tag with name: \(key) in run with id \(runId)")
            }
        }
    }

    public func logInputs(runId: String, datasets: [DatasetInput], models: [String]) async throws {
        try await write { db in
            let run = try Self.requireActiveRun(db, runId)
            for input in datasets {
                let d = input.dataset
                try db.execute(
                    sql: """
                        INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (experiment_id, name, digest) DO NOTHING
                        """,
                    arguments: [run.experimentKey, d.name, d.digest, d.sourceType, d.source, d.schema, d.profile])
                let datasetKey = try Int64.fetchOne(
                    db, sql: "SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                    arguments: [run.experimentKey, d.name, d.digest])!
                try db.execute(
                    sql: "INSERT OR IGNORE INTO run_inputs (run, dataset) VALUES (?, ?)",
                    arguments: [run.key, datasetKey])
                for t in input.tags {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO input_tags (run, dataset, key, value) VALUES (?, ?, ?, ?)",
                        arguments: [run.key, datasetKey, t.key, t.value])
                }
            }
            for model in models {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO model_inputs (run, model_id) VALUES (?, ?)",
                    arguments: [run.key, model])
            }
        }
    }

    public func logOutputs(runId: String, models: [ModelReference]) async throws {
        try await write { db in
            let run = try Self.requireActiveRun(db, runId)
            for m in models {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO model_outputs (run, model_id, step) VALUES (?, ?, ?)",
                    arguments: [run.key, m.modelId, m.step ?? 0])
            }
        }
    }

    public func metricHistory(runId: String, key: String, maxResults: Int, after: Metric?) async throws -> Page<Metric>
    {
        try await read { db in
            let run = try Self.requireRun(db, runId)
            let columns = "step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest"
            let statement: Statement
            var arguments: StatementArguments = [run.key, key]
            if let after {
                statement = try db.cachedStatement(
                    sql: """
                        SELECT \(columns) FROM metrics WHERE run = ? AND key = ?
                        AND (step, timestamp, value, is_nan) > (?, ?, ?, ?)
                        ORDER BY step, timestamp, value, is_nan LIMIT ?
                        """)
                let nan = after.value.isNaN
                arguments += [after.step, after.timestamp, nan ? 0.0 : after.value, nan ? 1 : 0]
            } else {
                statement = try db.cachedStatement(
                    sql:
                        "SELECT \(columns) FROM metrics WHERE run = ? AND key = ? ORDER BY step, timestamp, value, is_nan LIMIT ?"
                )
            }
            arguments += [maxResults + 1]
            var items: [Metric] = []
            items.reserveCapacity(min(maxResults + 1, 100_000))
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            while let row = try cursor.next() {
                let isNan: Bool = row[3]
                items.append(
                    Metric(
                        key: key, value: isNan ? .nan : row[2], timestamp: row[1], step: row[0], modelId: row[4],
                        datasetName: row[5], datasetDigest: row[6]))
            }
            let more = items.count > maxResults
            if more { items.removeLast() }
            return Page(items: items, nextOffset: more ? items.count : nil)
        }
    }

    public func metricHistories(runIds: [String], key: String, startStep: Int64?, endStep: Int64?) async throws
        -> [Metric]
    {
        try await read { db in
            var result: [Metric] = []
            for uuid in runIds {
                guard
                    let runKey = try Int64.fetchOne(
                        db, sql: "SELECT id FROM runs WHERE run_uuid = ?", arguments: [uuid])
                else { continue }
                var sql: SQL =
                    "SELECT step, timestamp, value, is_nan FROM metrics WHERE run = \(runKey) AND key = \(key)"
                if let startStep, let endStep { sql += " AND step >= \(startStep) AND step <= \(endStep)" }
                sql += " ORDER BY step, timestamp, value"
                for row in try Row.fetchAll(db, SQLRequest(literal: sql)) {
                    let isNan: Bool = row[3]
                    result.append(
                        Metric(key: key, value: isNan ? .nan : row[2], timestamp: row[1], step: row[0], runId: uuid))
                }
            }
            return result
        }
    }

    /// Reads a row selected with ``runColumns`` (by position, which is much faster than by name).
    static func runInfo(_ row: Row) -> RunInfo {
        let expKey: Int64 = row[2]
        return RunInfo(
            runId: row[1], runName: row[3], experimentId: String(expKey), userId: row[4],
            status: RunStatus(rawValue: row[5]) ?? .running, startTime: row[6], endTime: row[7], artifactUri: row[8],
            lifecycleStage: LifecycleStage(rawValue: row[9]) ?? .active)
    }

    /// Calls `body` for each row of a query without materialising them all.
    static func each(_ db: Database, _ sql: SQL, _ body: (Row) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, SQLRequest(literal: sql))
        while let row = try cursor.next() { try body(row) }
    }

    /// Builds full runs (params, tags, latest metrics, inputs, outputs) for run rows, in their order.
    static func loadRuns(_ db: Database, rows: [Row]) throws -> [Run] {
        guard !rows.isEmpty else { return [] }
        let keys: [Int64] = rows.map { $0[0] }
        var runs: [Int64: Run] = [:]
        runs.reserveCapacity(rows.count)
        for row in rows { runs[row[0]] = Run(info: runInfo(row)) }
        let keyList = SQL(sql: "(" + keys.map(String.init).joined(separator: ",") + ")")
        try each(db, "SELECT run, key, value FROM params WHERE run IN \(keyList)") { row in
            runs[row[0]]?.params.append(KeyValue(row[1], row[2]))
        }
        try each(db, "SELECT run, key, value FROM tags WHERE run IN \(keyList)") { row in
            runs[row[0]]?.tags.append(KeyValue(row[1], row[2]))
        }
        try each(db, "SELECT run, key, step, timestamp, value, is_nan FROM latest_metrics WHERE run IN \(keyList)") {
            row in
            let isNan: Bool = row[5]
            runs[row[0]]?.metrics.append(
                Metric(key: row[1], value: isNan ? .nan : row[4], timestamp: row[3], step: row[2]))
        }
        let inputRows = try Row.fetchAll(
            db,
            SQLRequest(
                literal: """
                    SELECT ri.run, d.id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                    FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset WHERE ri.run IN \(keyList)
                    ORDER BY ri.run, d.id
                    """))
        if !inputRows.isEmpty {
            var inputTags: [String: [KeyValue]] = [:]
            for row in try Row.fetchAll(
                db, SQLRequest(literal: "SELECT run, dataset, key, value FROM input_tags WHERE run IN \(keyList)"))
            {
                let run: Int64 = row[0]
                let ds: Int64 = row[1]
                inputTags["\(run)/\(ds)", default: []].append(KeyValue(row[2], row[3]))
            }
            for row in inputRows {
                let run: Int64 = row[0]
                let ds: Int64 = row[1]
                let dataset = Dataset(
                    name: row[2], digest: row[3], sourceType: row[4], source: row[5], schema: row[6], profile: row[7])
                runs[run]?.datasetInputs.append(DatasetInput(tags: inputTags["\(run)/\(ds)"] ?? [], dataset: dataset))
            }
        }
        for row in try Row.fetchAll(
            db, SQLRequest(literal: "SELECT run, model_id FROM model_inputs WHERE run IN \(keyList)"))
        {
            runs[row[0]]?.modelInputs.append(ModelReference(modelId: row[1]))
        }
        for row in try Row.fetchAll(
            db, SQLRequest(literal: "SELECT run, model_id, step FROM model_outputs WHERE run IN \(keyList)"))
        {
            runs[row[0]]?.modelOutputs.append(ModelReference(modelId: row[1], step: row[2]))
        }
        return keys.compactMap { runs[$0] }
    }
}
