import CairnCore
import CairnStoreSQL
import Foundation

/// Imports an MLflow installation into a Cairn database, keeping its ids so that `runs:/ID/…` and
/// `models:/NAME/VERSION` keep resolving.
///
/// The source is MLflow's SQL database (`sqlite:///mlflow.db`, `postgresql://…`), opened read-only,
/// or its `mlruns` folder. Each experiment, run, logged model and registered model is one
/// transaction, and whatever the target already holds is skipped: re-running finishes an
/// interrupted import and otherwise changes nothing.
///
/// ```swift
/// let importer = try await MLflowImporter.open(from: "sqlite:///mlflow.db", into: target, artifacts: nil)
/// let summary = try await importer.run { p in print(p.phase, p.done, p.total) }
/// print(summary.count("runs").imported)
/// ```
public struct MLflowImporter: Sendable {
    let source: any MLflowSource
    let target: any SQLDatabase
    let relocator: ArtifactRelocator

    /// How far an import has come.
    public struct Progress: Sendable, Equatable {
        /// What is being imported (`experiments`, `runs`, `logged models`, `registered models`).
        public var phase: String
        /// Entities handled so far, over every phase.
        public var done: Int
        /// Entities in the source.
        public var total: Int
    }

    init(source: any MLflowSource, target: any SQLDatabase, artifacts: String?) {
        self.source = source
        self.target = target
        self.relocator = ArtifactRelocator(destination: artifacts, baseDirectory: source.baseDirectory)
    }

    /// Opens the MLflow installation `from` names: a database URI, an `mlruns` folder or its `file:` URI.
    /// `artifacts` is the Cairn server's artifact folder to copy local artifacts into, or nil to keep
    /// the recorded artifact URIs.
    public static func open(from: String, into target: any SQLDatabase, artifacts: String?) async throws
        -> MLflowImporter
    {
        let destination = try artifacts.map(Self.prepareDestination)
        let source: any MLflowSource
        if from.hasPrefix("sqlite:") || from.hasPrefix("postgresql:") || from.hasPrefix("postgres:") {
            source = try await MLflowSQLSource.open(uri: from)
        } else {
            source = try MLflowFileSource(folder: try Self.folder(from))
        }
        return MLflowImporter(source: source, target: target, artifacts: destination)
    }

    /// The `mlruns` folder a path or `file:` URI names.
    static func folder(_ from: String) throws(TransferError) -> String {
        var path = from
        if path.hasPrefix("file://") {
            path = String(path.dropFirst("file://".count))
        } else if path.hasPrefix("file:") {
            path = String(path.dropFirst("file:".count))
        } else if let colon = path.firstIndex(of: ":"), Self.isScheme(path[..<colon]) {
            throw .badInput(
                "Unsupported source '\(from)': use sqlite:///mlflow.db, postgresql://user@host/db, "
                    + "an mlruns folder or a file: URI.")
        }
        path = path.removingPercentEncoding ?? path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw .badInput("The MLflow folder '\(path)' does not exist.")
        }
        guard isDir.boolValue else {
            throw .badInput(
                "'\(path)' is a file, not an mlruns folder; for an MLflow SQLite database use sqlite:///\(path).")
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Whether `text` is a URI scheme (a letter, then letters, digits, `+`, `-` or `.`; one letter is a
    /// Windows drive, not a scheme).
    static func isScheme(_ text: Substring) -> Bool {
        guard text.count > 1, let first = text.first, first.isLetter else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }

    /// Creates the artifact destination folder and returns its absolute path.
    static func prepareDestination(_ path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDir), !isDir.boolValue {
            throw TransferError.badInput("The artifact destination '\(path)' is a file, not a folder.")
        }
        do {
            try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
        } catch {
            throw TransferError.badInput("Cannot create the artifact destination '\(path)': \(error)")
        }
        return absolute
    }

    /// Where the MLflow data is read from, for messages.
    public var sourceLocation: String { source.location }

    /// Closes the source (the target belongs to the caller).
    public func close() async { try? await source.close() }

    /// Imports everything and returns the summary; `progress` is called after each entity.
    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> ImportSummary {
        let started = Date()
        var summary = ImportSummary()
        try await target.migrate()
        let inventory = try await source.inventory()
        summary.skippedTables = inventory.skippedTables.map { .init(name: $0.name, rows: $0.rows) }
        summary.otherWorkspaces = inventory.otherWorkspaces
        let experiments = try await source.experiments()
        var runIds: [[String]] = []
        var models: [[MLflowLoggedModel]] = []
        for e in experiments {
            runIds.append(try await source.runIds(experiment: e))
            models.append(try await source.loggedModels(experiment: e))
        }
        let registered = try await source.registeredModels()
        let total =
            experiments.count + runIds.reduce(0) { $0 + $1.count } + models.reduce(0) { $0 + $1.count }
            + registered.count
        var done = 0
        func step(_ phase: String) {
            done += 1
            progress(Progress(phase: phase, done: done, total: total))
        }
        var pairs: [(old: String, new: String)] = []
        for e in experiments {
            let imported = try await importExperiment(e)
            summary.add("experiments", imported: imported ? 1 : 0, skipped: imported ? 0 : 1)
            pairs.append((e.artifactLocation, relocator.experimentLocation(e)))
            step("experiments")
        }
        for (e, ids) in zip(experiments, runIds) {
            for id in ids {
                if try await runExists(id) {
                    summary.add("runs", skipped: 1)
                } else {
                    let run = try await source.run(id: id, experiment: e)
                    summary.add(try relocator.copy(from: run.artifactUri, to: ArtifactRelocator.runFolder(run)))
                    pairs.append((run.artifactUri, relocator.runURI(run)))
                    try await importRun(run, into: &summary)
                }
                step("runs")
            }
        }
        for model in models.joined() {
            summary.add(try relocator.copy(from: model.artifactLocation, to: ArtifactRelocator.modelFolder(model)))
            pairs.append((model.artifactLocation, relocator.modelURI(model)))
            let imported = try await importLoggedModel(model)
            summary.add("logged models", imported: imported ? 1 : 0, skipped: imported ? 0 : 1)
            step("logged models")
        }
        for model in registered {
            try await importRegisteredModel(model, pairs: pairs, into: &summary)
            step("registered models")
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Whether the target holds the run already.
    func runExists(_ id: String) async throws -> Bool {
        try await target.read { s in try s.exists("SELECT 1 FROM runs WHERE run_uuid = \(id)") }
    }
}
