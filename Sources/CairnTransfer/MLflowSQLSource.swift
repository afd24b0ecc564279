import CairnCore
import CairnStoreFactory
import CairnStoreSQL
import Foundation

/// MLflow's SQL database (3.x schema), read through Cairn's SQL layer and never written.
struct MLflowSQLSource: MLflowSource {
    let database: any SQLDatabase
    let baseDirectory: String
    /// Whether the tables carry MLflow's `workspace` column (only `default` is imported).
    let hasWorkspaces: Bool

    var location: String { database.location }

    /// The tables an import reads, or that hold only bookkeeping.
    static let readTables: Set<String> = [
        "experiments", "experiment_tags", "runs", "params", "tags", "metrics", "latest_metrics", "datasets",
        "inputs", "input_tags", "logged_models", "logged_model_params", "logged_model_tags", "logged_model_metrics",
        "registered_models", "registered_model_tags", "registered_model_aliases", "model_versions",
        "model_version_tags", "alembic_version", "workspaces",
    ]

    /// Opens the database at `uri` read-only and checks that it looks like MLflow's.
    static func open(uri: String) async throws -> MLflowSQLSource {
        let db: any SQLDatabase
        do {
            db = try await StoreFactory.foreignDatabase(uri: uri)
        } catch let e as MlflowError {
            throw TransferError.badInput(e.message)
        } catch let e as SQLStoreError {
            throw TransferError.badInput("Cannot open the MLflow database: \(e)")
        }
        do {
            _ = try await db.read { s in try s.scalar(Int.self, "SELECT COUNT(*) FROM experiments") }
            _ = try await db.read { s in try s.scalar(Int.self, "SELECT COUNT(*) FROM runs WHERE run_uuid = ''") }
        } catch {
            try? await db.close()
            throw TransferError.badInput(
                "\(db.location) is not an MLflow tracking database (no experiments and runs tables): \(error)")
        }
        let workspaces = (try? await db.read { s in try s.exists("SELECT workspace FROM experiments WHERE 1 = 0") })
        let base: String
        if case .sqliteFile(let path)? = try? StoreFactory.parse(uri: uri) {
            base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        } else {
            base = FileManager.default.currentDirectoryPath
        }
        return MLflowSQLSource(database: db, baseDirectory: base, hasWorkspaces: workspaces != nil)
    }

    func close() async throws { try await database.close() }

    /// `AND workspace = 'default'` where the column exists.
    var inDefault: SQLStatement { hasWorkspaces ? " AND workspace = 'default'" : "" }

    func inventory() async throws -> MLflowInventory {
        var inventory = MLflowInventory()
        let tables: [String]
        do {
            tables = try await database.read { s in
                try s.column(String.self, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
        } catch {
            tables = try await database.read { s in
                try s.column(
                    String.self,
                    """
                    SELECT table_name FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
                    """)
            }
        }
        for name in tables where !Self.readTables.contains(name) && !name.hasPrefix("sqlite_") {
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let rows = try await database.read { s in
                try s.scalar(Int.self, SQLStatement(sql: "SELECT COUNT(*) FROM \(quoted)")) ?? 0
            }
            if rows > 0 { inventory.skippedTables.append(.init(name: name, rows: rows)) }
        }
        if hasWorkspaces {
            inventory.otherWorkspaces = try await database.read { s in
                try s.column(
                    String.self,
                    """
                    SELECT workspace FROM experiments WHERE workspace <> 'default'
                    UNION SELECT workspace FROM registered_models WHERE workspace <> 'default' ORDER BY 1
                    """)
            }
        }
        return inventory
    }

    func experiments() async throws -> [MLflowExperiment] {
        let filter = inDefault
        return try await database.read { s in
            var tags: [Int64: [KeyValue]] = [:]
            try s.forEach("SELECT experiment_id, key, value FROM experiment_tags ORDER BY key") { r in
                tags[try r.get(0), default: []].append(KeyValue(try r.get(1), try Self.text(r, 2)))
            }
            return try s.fetchAll(
                "SELECT * FROM experiments WHERE 1 = 1\(filter) ORDER BY experiment_id"
            ).map { r in
                let id: Int64 = try r.get("experiment_id")
                return MLflowExperiment(
                    id: id, name: try r.get("name"), artifactLocation: try Self.text(r, "artifact_location"),
                    lifecycleStage: try Self.stage(r), creationTime: try r.get("creation_time") ?? 0,
                    lastUpdateTime: try r.get("last_update_time") ?? 0, tags: tags[id] ?? [])
            }
        }
    }

    func runIds(experiment: MLflowExperiment) async throws -> [String] {
        try await database.read { s in
            try s.column(
                String.self,
                "SELECT run_uuid FROM runs WHERE experiment_id = \(experiment.id) ORDER BY start_time, run_uuid")
        }
    }

    func run(id: String, experiment: MLflowExperiment) async throws -> MLflowRun {
        try await database.read { s in
            guard let r = try s.fetchOne("SELECT * FROM runs WHERE run_uuid = \(id)") else {
                throw TransferError.conflict("The run \(id) disappeared from the MLflow database during the import.")
            }
            var tags: [KeyValue] = []
            try s.forEach("SELECT key, value FROM tags WHERE run_uuid = \(id) ORDER BY key") { t in
                tags.append(KeyValue(try t.get(0), try Self.text(t, 1)))
            }
            let statusText = try Self.text(r, "status")
            guard let status = MLflowCodes.runStatus(statusText.isEmpty ? "RUNNING" : statusText) else {
                throw TransferError.conflict("The run \(id) has an unknown status '\(statusText)'.")
            }
            var run = MLflowRun(
                id: id, experimentId: experiment.id,
                name: try r.get("name") ?? tags.first { $0.key == "mlflow.runName" }?.value ?? "",
                userId: try Self.text(r, "user_id"), status: status, startTime: try r.get("start_time") ?? 0,
                endTime: try r.get("end_time"), artifactUri: try Self.text(r, "artifact_uri"),
                lifecycleStage: try Self.stage(r), params: [], tags: tags, metrics: [], datasets: [],
                modelInputs: [], modelOutputs: [])
            try s.forEach("SELECT key, value FROM params WHERE run_uuid = \(id) ORDER BY key") { p in
                run.params.append(KeyValue(try p.get(0), try Self.text(p, 1)))
            }
            try s.forEach(
                "SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = \(id) ORDER BY key, step, timestamp"
            ) { m in
                run.metrics.append(
                    MLflowMetricPoint(
                        key: try m.get(0), value: MLflowCodes.metricValue(try m.get(1), isNan: Self.flag(m.values[4])),
                        timestamp: try m.get(2) ?? 0, step: try m.get(3) ?? 0))
            }
            try Self.loadInputs(s, into: &run)
            return run
        }
    }

    /// Datasets, model inputs and model outputs of a run, from MLflow's `inputs` table.
    private static func loadInputs(_ s: any SQLSession, into run: inout MLflowRun) throws {
        var inputs: [(uuid: String, input: MLflowDatasetInput)] = []
        try s.forEach(
            """
            SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema,
                   d.dataset_profile
            FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
            WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN' AND i.destination_id = \(run.id)
            ORDER BY d.name, d.digest
            """
        ) { r in
            inputs.append(
                (
                    try r.get(0),
                    MLflowDatasetInput(
                        name: try r.get(1), digest: try r.get(2), sourceType: try text(r, 3), source: try text(r, 4),
                        schema: try r.get(5), profile: try r.get(6), tags: [])
                ))
        }
        if !inputs.isEmpty {
            var tags: [String: [KeyValue]] = [:]
            try s.forEach(
                "SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN \(inputs.map(\.uuid)) ORDER BY name"
            ) { t in tags[try t.get(0), default: []].append(KeyValue(try t.get(1), try text(t, 2))) }
            run.datasets = inputs.map { i in
                var input = i.input
                input.tags = tags[i.uuid] ?? []
                return input
            }
        }
        run.modelInputs = try s.column(
            String.self,
            """
            SELECT destination_id FROM inputs WHERE source_type = 'RUN_INPUT' AND source_id = \(run.id)
            AND destination_type = 'MODEL_INPUT' ORDER BY destination_id
            """)
        try s.forEach(
            """
            SELECT destination_id, step FROM inputs WHERE source_type = 'RUN_OUTPUT' AND source_id = \(run.id)
            AND destination_type = 'MODEL_OUTPUT' ORDER BY destination_id
            """
        ) { r in run.modelOutputs.append(.init(modelId: try r.get(0), step: try r.get(1) ?? 0)) }
    }

    /// A text column that may be NULL, as "".
    static func text(_ row: SQLRow, _ name: String) throws -> String { try row.get(name, as: String?.self) ?? "" }

    /// A text column by position that may be NULL, as "".
    static func text(_ row: SQLRow, _ index: Int) throws -> String { try row.get(index, as: String?.self) ?? "" }

    /// A boolean column however the driver returns it.
    static func flag(_ value: SQLValue) -> Bool {
        switch value {
        case .int(let i): i != 0
        case .double(let d): d != 0
        case .text(let t): ["t", "true", "1"].contains(t.lowercased())
        default: false
        }
    }

    /// The `lifecycle_stage` column of a row.
    static func stage(_ row: SQLRow) throws -> LifecycleStage {
        LifecycleStage(rawValue: try text(row, "lifecycle_stage")) ?? .active
    }
}
