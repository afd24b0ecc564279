import CairnCore
import CairnStoreSQL

extension MLflowSQLSource {
    func loggedModels(experiment: MLflowExperiment) async throws -> [MLflowLoggedModel] {
        let exists = try? await database.read { s in try s.exists("SELECT model_id FROM logged_models WHERE 1 = 0") }
        guard exists != nil else { return [] }  // an MLflow 2.x database has no logged models
        return try await database.read { s in
            var models: [MLflowLoggedModel] = []
            try s.forEach("SELECT * FROM logged_models WHERE experiment_id = \(experiment.id) ORDER BY model_id") {
                r in
                let code: Int64 = try r.get("status") ?? 0
                guard let status = MLflowCodes.loggedModelStatus(String(code)) else {
                    throw TransferError.conflict("A logged model has an unknown status code \(code).")
                }
                models.append(
                    MLflowLoggedModel(
                        id: try r.get("model_id"), experimentId: experiment.id, name: try Self.text(r, "name"),
                        artifactLocation: try Self.text(r, "artifact_location"),
                        creationTimestamp: try r.get("creation_timestamp_ms") ?? 0,
                        lastUpdatedTimestamp: try r.get("last_updated_timestamp_ms") ?? 0, status: status,
                        lifecycleStage: try Self.stage(r), modelType: try r.get("model_type"),
                        sourceRunId: try r.get("source_run_id"), statusMessage: try r.get("status_message"),
                        params: [], tags: [], metrics: []))
            }
            for i in models.indices {
                let id = models[i].id
                try s.forEach("SELECT param_key, param_value FROM logged_model_params WHERE model_id = \(id)") { p in
                    models[i].params.append(KeyValue(try p.get(0), try Self.text(p, 1)))
                }
                try s.forEach("SELECT tag_key, tag_value FROM logged_model_tags WHERE model_id = \(id)") { t in
                    models[i].tags.append(KeyValue(try t.get(0), try Self.text(t, 1)))
                }
                try s.forEach(
                    """
                    SELECT metric_name, metric_value, metric_timestamp_ms, metric_step, run_id, dataset_name,
                           dataset_digest
                    FROM logged_model_metrics WHERE model_id = \(id)
                    """
                ) { m in
                    let v: Double? = try m.get(1)
                    models[i].metrics.append(
                        MLflowModelMetric(
                            key: try m.get(0), value: v.map { MLflowCodes.metricValue($0, isNan: false) } ?? .nan,
                            timestamp: try m.get(2) ?? 0, step: try m.get(3) ?? 0, runId: try m.get(4),
                            datasetName: try m.get(5), datasetDigest: try m.get(6)))
                }
                models[i].params.sort { $0.key < $1.key }
                models[i].tags.sort { $0.key < $1.key }
            }
            return models
        }
    }

    func registeredModels() async throws -> [MLflowRegisteredModel] {
        let filter = inDefault
        return try await database.read { s in
            var models: [MLflowRegisteredModel] = []
            try s.forEach("SELECT * FROM registered_models WHERE 1 = 1\(filter) ORDER BY name") { r in
                models.append(
                    MLflowRegisteredModel(
                        name: try r.get("name"), creationTime: try r.get("creation_time") ?? 0,
                        lastUpdatedTime: try r.get("last_updated_time") ?? 0, description: try r.get("description"),
                        tags: [], aliases: [:], versions: [], lastVersion: 0))
            }
            for i in models.indices {
                let name = models[i].name
                try s.forEach("SELECT key, value FROM registered_model_tags WHERE name = \(name)\(filter) ORDER BY key")
                { t in
                    models[i].tags.append(KeyValue(try t.get(0), try Self.text(t, 1)))
                }
                try s.forEach("SELECT alias, version FROM registered_model_aliases WHERE name = \(name)\(filter)") {
                    a in models[i].aliases[try a.get(0)] = try a.get(1)
                }
                var versionTags: [Int64: [KeyValue]] = [:]
                try s.forEach(
                    "SELECT version, key, value FROM model_version_tags WHERE name = \(name)\(filter) ORDER BY key"
                ) { t in versionTags[try t.get(0), default: []].append(KeyValue(try t.get(1), try Self.text(t, 2))) }
                try s.forEach("SELECT * FROM model_versions WHERE name = \(name)\(filter) ORDER BY version") { v in
                    let number: Int64 = try v.get("version")
                    models[i].lastVersion = max(models[i].lastVersion, number)
                    guard let stage = MLflowCodes.stage(try Self.text(v, "current_stage")) else { return }
                    let statusText = try Self.text(v, "status")
                    models[i].versions.append(
                        MLflowModelVersion(
                            version: number, creationTime: try v.get("creation_time") ?? 0,
                            lastUpdatedTime: try v.get("last_updated_time") ?? 0,
                            description: try v.get("description"), userId: try v.get("user_id"), stage: stage,
                            source: try Self.text(v, "source"), runId: try v.get("run_id"),
                            status: ModelVersionStatus(rawValue: statusText) ?? .ready,
                            statusMessage: try v.get("status_message"), runLink: try v.get("run_link"),
                            modelId: v.columns.index(of: "model_id") == nil ? nil : try v.get("model_id"),
                            tags: versionTags[number] ?? []))
                }
            }
            return models
        }
    }
}
