import CairnCore
import Foundation

/// MLflow's file store: an `mlruns` folder with `meta.yaml` files, one file per param and tag,
/// metric histories as `timestamp value step` lines, deleted experiments under `.trash` and the
/// registry under `models/`.
struct MLflowFileSource: MLflowSource {
    /// The `mlruns` folder.
    let root: String

    var location: String { root }
    /// Relative artifact paths were recorded against the folder that holds `mlruns`.
    var baseDirectory: String { (root as NSString).deletingLastPathComponent }

    /// Folders of an experiment that are not runs.
    static let experimentFolders: Set<String> = ["tags", "datasets", "models", "traces"]

    /// Opens the folder, which must hold at least one experiment's `meta.yaml`.
    init(folder: String) throws(TransferError) {
        root = folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard names.contains(where: { FileManager.default.fileExists(atPath: "\(folder)/\($0)/meta.yaml") }) else {
            throw .badInput("'\(folder)' is not an MLflow mlruns folder (no experiment meta.yaml in it).")
        }
    }

    func close() async throws {}

    /// Folder names directly inside `path`, sorted; empty when it is missing.
    static func folders(_ path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDir) && isDir.boolValue
        }.sorted()
    }

    /// The experiment folders (live and in `.trash`) with their parsed meta files.
    private func experimentMetas() throws -> [(folder: String, meta: MetaFile)] {
        var out: [(String, MetaFile)] = []
        for parent in [root, root + "/.trash"] {
            for name in Self.folders(parent) where name.allSatisfy(\.isNumber) {
                let folder = parent + "/" + name
                guard FileManager.default.fileExists(atPath: folder + "/meta.yaml") else { continue }
                out.append((folder, try MetaFile(path: folder + "/meta.yaml")))
            }
        }
        return out
    }

    /// The folder of an experiment, live or deleted.
    func experimentFolder(_ id: Int64) -> String {
        let live = "\(root)/\(id)"
        return FileManager.default.fileExists(atPath: live + "/meta.yaml") ? live : "\(root)/.trash/\(id)"
    }

    func inventory() async throws -> MLflowInventory {
        var inventory = MLflowInventory()
        var traces = 0
        var workspaces = Set<String>()
        for (folder, meta) in try experimentMetas() {
            traces += Self.folders(folder + "/traces").count
            if let w = meta.text("workspace"), w != "default" { workspaces.insert(w) }
        }
        for name in Self.folders(root + "/models") {
            let path = "\(root)/models/\(name)/meta.yaml"
            if let meta = try? MetaFile(path: path), let w = meta.text("workspace"), w != "default" {
                workspaces.insert(w)
            }
        }
        if traces > 0 { inventory.skippedTables.append(.init(name: "traces", rows: traces)) }
        inventory.otherWorkspaces = workspaces.sorted()
        return inventory
    }

    func experiments() async throws -> [MLflowExperiment] {
        try experimentMetas().compactMap { folder, meta -> MLflowExperiment? in
            if let w = meta.text("workspace"), w != "default" { return nil }
            let idText = try meta.require("experiment_id")
            guard let id = Int64(idText) else {
                throw TransferError.conflict("\(meta.path): experiment id '\(idText)' is not a number.")
            }
            return MLflowExperiment(
                id: id, name: try meta.require("name"), artifactLocation: meta.text("artifact_location") ?? "",
                lifecycleStage: LifecycleStage(rawValue: meta.text("lifecycle_stage") ?? "") ?? .active,
                creationTime: meta.int("creation_time") ?? 0, lastUpdateTime: meta.int("last_update_time") ?? 0,
                tags: try Self.keyFiles(folder + "/tags"))
        }.sorted { $0.id < $1.id }
    }

    func runIds(experiment: MLflowExperiment) async throws -> [String] {
        let folder = experimentFolder(experiment.id)
        return Self.folders(folder).filter { name in
            !Self.experimentFolders.contains(name)
                && FileManager.default.fileExists(atPath: "\(folder)/\(name)/meta.yaml")
        }
    }

    func run(id: String, experiment: MLflowExperiment) async throws -> MLflowRun {
        let folder = experimentFolder(experiment.id) + "/" + id
        let meta = try MetaFile(path: folder + "/meta.yaml")
        let tags = try Self.keyFiles(folder + "/tags")
        let statusText = meta.text("status") ?? "RUNNING"
        guard let status = MLflowCodes.runStatus(statusText) else {
            throw TransferError.conflict("\(meta.path): unknown run status '\(statusText)'.")
        }
        var run = MLflowRun(
            id: meta.text("run_id") ?? meta.text("run_uuid") ?? id, experimentId: experiment.id,
            name: meta.text("run_name") ?? tags.first { $0.key == "mlflow.runName" }?.value ?? "",
            userId: meta.text("user_id") ?? "", status: status, startTime: meta.int("start_time") ?? 0,
            endTime: meta.int("end_time"), artifactUri: meta.text("artifact_uri") ?? "",
            lifecycleStage: LifecycleStage(rawValue: meta.text("lifecycle_stage") ?? "") ?? .active,
            params: try Self.keyFiles(folder + "/params"), tags: tags, metrics: [], datasets: [], modelInputs: [],
            modelOutputs: [])
        for (key, path) in Self.files(folder + "/metrics") {
            for line in try Self.lines(path) {
                run.metrics.append(try Self.metricPoint(key: key, line: line, path: path))
            }
        }
        for name in Self.folders(folder + "/inputs") {
            let input = try MetaFile(path: "\(folder)/inputs/\(name)/meta.yaml")
            let sourceId = try input.require("source_id")
            switch input.text("source_type") {
            case "DATASET":
                let d = try MetaFile(path: experimentFolder(experiment.id) + "/datasets/\(sourceId)/meta.yaml")
                run.datasets.append(
                    MLflowDatasetInput(
                        name: try d.require("name"), digest: try d.require("digest"),
                        sourceType: d.text("source_type") ?? "", source: d.text("source") ?? "",
                        schema: d.text("schema"), profile: d.text("profile"),
                        tags: input.pairs("tags").map { KeyValue($0.key, $0.value) }.sorted { $0.key < $1.key }))
            case "MODEL": run.modelInputs.append(sourceId)
            default: continue
            }
        }
        for name in Self.folders(folder + "/outputs") {
            let output = try MetaFile(path: "\(folder)/outputs/\(name)/meta.yaml")
            run.modelOutputs.append(.init(modelId: output.text("source_id") ?? name, step: output.int("step") ?? 0))
        }
        run.datasets.sort { ($0.name, $0.digest) < ($1.name, $1.digest) }
        return run
    }

    /// One run metric line: `timestamp value step` (older files omit the step).
    static func metricPoint(key: String, line: Substring, path: String) throws -> MLflowMetricPoint {
        let parts = line.split(separator: " ")
        guard parts.count == 2 || parts.count == 3, let timestamp = Int64(parts[0]), let value = Double(parts[1]),
            let step = parts.count == 3 ? Int64(parts[2]) : 0
        else { throw TransferError.conflict("\(path): malformed metric line '\(line)'.") }
        return MLflowMetricPoint(key: key, value: value, timestamp: timestamp, step: step)
    }

    /// The non-empty lines of a text file.
    static func lines(_ path: String) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw TransferError.conflict("Cannot read \(path).") }
        return text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// Every file below `folder` as (key, path); keys with `/` are nested folders. Sorted by key.
    static func files(_ folder: String) -> [(key: String, path: String)] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            let path = folder + "/" + relative
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                out.append((relative, path))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// One value per file (params, tags): the key is the file's path below `folder`.
    static func keyFiles(_ folder: String) throws -> [KeyValue] {
        try files(folder).map { key, path in
            guard let data = FileManager.default.contents(atPath: path), let value = String(data: data, encoding: .utf8)
            else { throw TransferError.conflict("Cannot read \(path).") }
            return KeyValue(key, value)
        }
    }
}
