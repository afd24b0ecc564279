import CairnCore
import CairnStore
import CairnStoreSQL

/// The write transactions of an import: one per experiment, run, logged model and registered model.
extension MLflowImporter {
    /// Inserts the experiment unless its id is there; the same id under another name is a conflict.
    func importExperiment(_ e: MLflowExperiment) async throws -> Bool {
        let location = relocator.experimentLocation(e)
        return try await target.write { s in
            if let name = try s.scalar(String.self, "SELECT name FROM experiments WHERE experiment_id = \(e.id)") {
                guard name == e.name else {
                    throw TransferError.conflict(
                        "Experiment id \(e.id) is '\(name)' in the target but '\(e.name)' in MLflow; "
                            + "import into an empty database or rename one of them.")
                }
                return false
            }
            if let other = try s.scalar(Int64.self, "SELECT experiment_id FROM experiments WHERE name = \(e.name)") {
                throw TransferError.conflict(
                    "The experiment name '\(e.name)' has id \(other) in the target but \(e.id) in MLflow; "
                        + "import into an empty database or rename one of them.")
            }
            try s.execute(
                """
                INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time,
                                         last_update_time)
                VALUES (\(e.id), \(e.name), \(location), \(e.lifecycleStage.rawValue), \(e.creationTime),
                        \(e.lastUpdateTime))
                """)
            try s.insertMany(
                into: "experiment_tags", columns: ["experiment_id", "key", "value"],
                rows: e.tags.map { [.int(e.id), .text($0.key), .text($0.value)] }, suffix: "ON CONFLICT DO NOTHING")
            if let reset = s.dialect.identityReset("experiments", "experiment_id") {
                try s.execute(SQLStatement(sql: reset))
            }
            return true
        }
    }

    /// Inserts a run with its params, tags, metric history, latest metrics and inputs.
    func importRun(_ run: MLflowRun, into summary: inout ImportSummary) async throws {
        let uri = relocator.runURI(run)
        let inserted = try await target.write { s -> Bool in
            if try s.exists("SELECT 1 FROM runs WHERE run_uuid = \(run.id)") { return false }
            guard
                let key = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time,
                                      artifact_uri, lifecycle_stage)
                    VALUES (\(run.id), \(run.experimentId), \(run.name), \(run.userId), \(run.status.rawValue),
                            \(run.startTime), \(run.endTime), \(uri), \(run.lifecycleStage.rawValue))
                    RETURNING id
                    """)
            else { throw SQLStoreError.database("the new run's id was not returned") }
            let skip = "ON CONFLICT DO NOTHING"
            try s.insertMany(
                into: "params", columns: ["run", "key", "value"],
                rows: run.params.map { [.int(key), .text($0.key), .text($0.value)] }, suffix: skip)
            try s.insertMany(
                into: "tags", columns: ["run", "key", "value"],
                rows: run.tags.map { [.int(key), .text($0.key), .text($0.value)] }, suffix: skip)
            try s.insertMany(
                into: "metrics", columns: ["run", "key", "step", "timestamp", "value", "is_nan"],
                rows: run.metrics.map { Self.metricRow(key, $0.key, $0.step, $0.timestamp, $0.value) }, suffix: skip)
            let latest = StoreRules.latestPerKey(
                run.metrics.map { Metric(key: $0.key, value: $0.value, timestamp: $0.timestamp, step: $0.step) })
            try s.insertMany(
                into: "latest_metrics", columns: ["run", "key", "step", "timestamp", "value", "is_nan"],
                rows: latest.values.sorted { $0.key < $1.key }.map {
                    Self.metricRow(key, $0.key, $0.step, $0.timestamp, $0.value)
                }, suffix: skip)
            for input in run.datasets {
                try Self.insertInput(s, run: key, experiment: run.experimentId, input)
            }
            try s.insertMany(
                into: "model_inputs", columns: ["run", "model_id"],
                rows: run.modelInputs.map { [.int(key), .text($0)] }, suffix: skip)
            try s.insertMany(
                into: "model_outputs", columns: ["run", "model_id", "step"],
                rows: run.modelOutputs.map { [.int(key), .text($0.modelId), .int($0.step)] }, suffix: skip)
            return true
        }
        guard inserted else {
            summary.add("runs", skipped: 1)
            return
        }
        summary.add("runs", imported: 1)
        summary.add("params", imported: run.params.count)
        summary.add("tags", imported: run.tags.count)
        // MLflow's file store can hold one point twice; Cairn keeps each distinct point once.
        let distinct = Set(run.metrics.map { "\($0.key)\u{0}\($0.step)\u{0}\($0.timestamp)\u{0}\($0.value)" })
        summary.add("metric points", imported: distinct.count)
        summary.add("dataset inputs", imported: run.datasets.count)
    }

    /// A metric row as Cairn stores it: NaN as 0 with the `is_nan` flag.
    static func metricRow(_ run: Int64, _ key: String, _ step: Int64, _ timestamp: Int64, _ value: Double)
        -> [SQLValue]
    {
        [
            .int(run), .text(key), .int(step), .int(timestamp), .double(value.isNaN ? 0 : value),
            .int(value.isNaN ? 1 : 0),
        ]
    }

    /// Links a dataset to a run (the dataset row is shared within the experiment) with the input's tags.
    static func insertInput(_ s: any SQLSession, run: Int64, experiment: Int64, _ d: MLflowDatasetInput) throws {
        try s.execute(
            """
            INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
            VALUES (\(experiment), \(d.name), \(d.digest), \(d.sourceType), \(d.source), \(d.schema), \(d.profile))
            ON CONFLICT (experiment_id, name, digest) DO NOTHING
            """)
        guard
            let dataset = try s.scalar(
                Int64.self,
                """
                SELECT id FROM datasets WHERE experiment_id = \(experiment) AND name = \(d.name)
                AND digest = \(d.digest)
                """)
        else { throw SQLStoreError.database("the dataset row was not stored") }
        try s.insertMany(
            into: "run_inputs", columns: ["run", "dataset"], rows: [[.int(run), .int(dataset)]],
            suffix: "ON CONFLICT DO NOTHING")
        try s.insertMany(
            into: "input_tags", columns: ["run", "dataset", "key", "value"],
            rows: d.tags.map { [.int(run), .int(dataset), .text($0.key), .text($0.value)] },
            suffix: "ON CONFLICT DO NOTHING")
    }

    /// Inserts a logged model with its params, tags and metrics unless its id is there.
    func importLoggedModel(_ m: MLflowLoggedModel) async throws -> Bool {
        let uri = relocator.modelURI(m)
        return try await target.write { s in
            if try s.exists("SELECT 1 FROM logged_models WHERE model_id = \(m.id)") { return false }
            try s.execute(
                """
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_uri, status, creation_timestamp,
                    last_updated_timestamp, model_type, source_run_id, status_message, lifecycle_stage)
                VALUES (\(m.id), \(m.experimentId), \(m.name), \(uri), \(m.status.rawValue), \(m.creationTimestamp),
                        \(m.lastUpdatedTimestamp), \(m.modelType), \(m.sourceRunId), \(m.statusMessage),
                        \(m.lifecycleStage.rawValue))
                """)
            let skip = "ON CONFLICT DO NOTHING"
            try s.insertMany(
                into: "logged_model_params", columns: ["model_id", "key", "value"],
                rows: m.params.map { [.text(m.id), .text($0.key), .text($0.value)] }, suffix: skip)
            try s.insertMany(
                into: "logged_model_tags", columns: ["model_id", "key", "value"],
                rows: m.tags.map { [.text(m.id), .text($0.key), .text($0.value)] }, suffix: skip)
            try s.insertMany(
                into: "logged_model_metrics",
                columns: [
                    "model_id", "run_id", "key", "step", "timestamp", "value", "is_nan", "dataset_name",
                    "dataset_digest",
                ],
                rows: m.metrics.map { p in
                    [
                        .text(m.id), .text(p.runId ?? ""), .text(p.key), .int(p.step), .int(p.timestamp),
                        .double(p.value.isNaN ? 0 : p.value), .int(p.value.isNaN ? 1 : 0), .text(p.datasetName ?? ""),
                        .text(p.datasetDigest ?? ""),
                    ]
                }, suffix: skip)
            return true
        }
    }
}
