import CairnCore
import Foundation

extension MLflowFileSource {
    func loggedModels(experiment: MLflowExperiment) async throws -> [MLflowLoggedModel] {
        let folder = experimentFolder(experiment.id) + "/models"
        return try Self.folders(folder).compactMap { name -> MLflowLoggedModel? in
            let path = "\(folder)/\(name)"
            guard FileManager.default.fileExists(atPath: path + "/meta.yaml") else { return nil }
            let meta = try MetaFile(path: path + "/meta.yaml")
            let code = meta.text("status") ?? "0"
            guard let status = MLflowCodes.loggedModelStatus(code) else {
                throw TransferError.conflict("\(meta.path): unknown logged model status '\(code)'.")
            }
            var model = MLflowLoggedModel(
                id: meta.text("model_id") ?? name, experimentId: experiment.id, name: meta.text("name") ?? "",
                artifactLocation: meta.text("artifact_location") ?? "",
                creationTimestamp: meta.int("creation_timestamp") ?? 0,
                lastUpdatedTimestamp: meta.int("last_updated_timestamp") ?? 0, status: status,
                lifecycleStage: LifecycleStage(rawValue: meta.text("lifecycle_stage") ?? "") ?? .active,
                modelType: meta.text("model_type"), sourceRunId: meta.text("source_run_id"),
                statusMessage: meta.text("status_message"), params: try Self.keyFiles(path + "/params"),
                tags: try Self.keyFiles(path + "/tags"), metrics: [])
            for (key, file) in Self.files(path + "/metrics") {
                for line in try Self.lines(file) {
                    model.metrics.append(try Self.modelMetric(key: key, line: line, path: file))
                }
            }
            return model
        }
    }

    /// One logged-model metric line: `timestamp value step run_id [dataset_name dataset_digest]`.
    static func modelMetric(key: String, line: Substring, path: String) throws -> MLflowModelMetric {
        let parts = line.split(separator: " ")
        guard parts.count == 4 || parts.count == 6, let timestamp = Int64(parts[0]), let value = Double(parts[1]),
            let step = Int64(parts[2])
        else { throw TransferError.conflict("\(path): malformed metric line '\(line)'.") }
        return MLflowModelMetric(
            key: key, value: value, timestamp: timestamp, step: step, runId: String(parts[3]),
            datasetName: parts.count == 6 ? String(parts[4]) : nil,
            datasetDigest: parts.count == 6 ? String(parts[5]) : nil)
    }

    func registeredModels() async throws -> [MLflowRegisteredModel] {
        let folder = root + "/models"
        return try Self.folders(folder).compactMap { name -> MLflowRegisteredModel? in
            let path = "\(folder)/\(name)"
            guard FileManager.default.fileExists(atPath: path + "/meta.yaml") else { return nil }
            let meta = try MetaFile(path: path + "/meta.yaml")
            if let w = meta.text("workspace"), w != "default" { return nil }
            var model = MLflowRegisteredModel(
                name: meta.text("name") ?? name, creationTime: meta.int("creation_timestamp") ?? 0,
                lastUpdatedTime: meta.int("last_updated_timestamp") ?? 0, description: meta.text("description"),
                tags: try Self.keyFiles(path + "/tags"), aliases: [:], versions: [], lastVersion: 0)
            for pair in meta.pairs("aliases") {
                guard let v = Int64(pair.value) else {
                    throw TransferError.conflict("\(meta.path): alias '\(pair.key)' names no version number.")
                }
                model.aliases[pair.key] = v
            }
            for entry in Self.folders(path) where entry.hasPrefix("version-") {
                let v = try MetaFile(path: "\(path)/\(entry)/meta.yaml")
                guard let number = v.int("version") ?? Int64(entry.dropFirst("version-".count)) else {
                    throw TransferError.conflict("\(v.path): no version number.")
                }
                model.lastVersion = max(model.lastVersion, number)
                guard let stage = MLflowCodes.stage(v.text("current_stage") ?? "None") else { continue }
                model.versions.append(
                    MLflowModelVersion(
                        version: number, creationTime: v.int("creation_timestamp") ?? 0,
                        lastUpdatedTime: v.int("last_updated_timestamp") ?? 0, description: v.text("description"),
                        userId: v.text("user_id"), stage: stage, source: v.text("source") ?? "",
                        runId: v.text("run_id"),
                        status: ModelVersionStatus(rawValue: v.text("status") ?? "") ?? .ready,
                        statusMessage: v.text("status_message"), runLink: v.text("run_link"),
                        modelId: v.text("model_id"), tags: try Self.keyFiles("\(path)/\(entry)/tags")))
            }
            model.versions.sort { $0.version < $1.version }
            return model
        }
    }
}
