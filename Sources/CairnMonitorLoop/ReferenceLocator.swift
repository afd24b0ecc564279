import CairnClient
import CairnCore
import CairnDrift
import CairnMonitor
import Foundation

/// Which model version is watched, and the training run it came from.
public struct MonitoredModel: Sendable, Equatable {
    /// Registered model name.
    public var name: String
    /// Version, as the prediction log writes it.
    public var version: String
    /// The training run, when the version names one.
    public var runId: String?

    /// Creates a description.
    public init(name: String, version: String, runId: String?) {
        self.name = name
        self.version = version
        self.runId = runId
    }
}

/// Finds a model version's training reference: the profile `cairn profile DATA --log-to URL --run RUN_ID`
/// stored as an artifact of the run that produced the version.
public enum ReferenceLocator {
    /// Where a training run keeps its reference profile.
    public static let artifactPath = "reference/profile.json"

    /// Resolves `models:/NAME/VERSION`, `models:/NAME@ALIAS`, … to the version and its run.
    public static func model(_ uri: String, client: TrackingClient) async throws -> MonitoredModel {
        let parsed = try ModelURI(parsing: uri)
        let resolution = try await ModelResolver(lookup: client).resolve(parsed)
        guard let version = resolution.version else {
            throw MlflowError.invalid(
                "\(uri) names no registered model version; monitor models:/NAME/VERSION or @ALIAS")
        }
        return MonitoredModel(name: version.name, version: String(version.version), runId: version.runId)
    }

    /// The reference profile of a model's training run, or nil when the run stored none.
    public static func profile(of model: MonitoredModel, client: TrackingClient) async throws -> DatasetProfile? {
        guard let runId = model.runId, !runId.isEmpty else { return nil }
        let run = try await client.run(id: runId)
        let data: Data
        do {
            data = try await client.readArtifact(runArtifactUri: run.info.artifactUri, artifactPath: artifactPath)
        } catch let error as MlflowError where error.code == .resourceDoesNotExist {
            return nil
        }
        do {
            return try JSONDecoder().decode(DatasetProfile.self, from: data)
        } catch {
            throw MlflowError.invalid("\(artifactPath) of run \(runId) is not a Cairn profile (\(error))")
        }
    }

    /// The reference the monitor uses and a line saying where it came from: `file` when given (a profile
    /// `.json`, or CSV / JSON Lines data profiled here), else the profile stored with the model's
    /// training run (when `client` is given), else none (the first window stands in).
    public static func reference(
        file: String?, categorical: Set<String>, model: MonitoredModel, client: TrackingClient?
    ) async throws -> (profile: DatasetProfile?, source: String) {
        if let file {
            let profile: DatasetProfile
            if file.hasSuffix(".json"), let stored = try? ProfileFile.read(path: file) {
                profile = stored
            } else {
                profile = ProfileFile.profile(try TableReader.read(path: file, categorical: categorical))
            }
            return (profile, "\(file) (\(profile.rows) rows)")
        }
        if let client, let stored = try await profile(of: model, client: client) {
            return (stored, "\(artifactPath) of training run \(model.runId ?? "") (\(stored.rows) rows)")
        }
        return (nil, "none stored with \(model.name)/\(model.version); the first window stands in for it")
    }

    /// The profile of a model's outputs on validation data: column `column` of a CSV or JSON Lines file
    /// (or its only column), numeric unless its values are not numbers.
    public static func outputReference(file: String, column: String?) throws -> (profile: ColumnProfile, source: String)
    {
        let table = try TableReader.read(path: file, categorical: [])
        let name: String
        if let column {
            guard table.columns[column] != nil else {
                throw MonitorError.invalid(
                    "--validation-outputs \(file) has no column '\(column)' (columns: "
                        + table.columnNames.joined(separator: ", ") + ").")
            }
            name = column
        } else if table.columnNames.count == 1 {
            name = table.columnNames[0]
        } else if table.columns["prediction"] != nil {
            name = "prediction"
        } else {
            throw MonitorError.invalid(
                "--validation-outputs \(file) has several columns; name the model's output with --output-column.")
        }
        let profile: ColumnProfile
        switch table.columns[name]! {
        case .numeric(let values): profile = ColumnProfile(numeric: values)
        case .categorical(let values): profile = ColumnProfile(categorical: values)
        }
        return (profile, "\(file) column '\(name)' (\(profile.count) outputs)")
    }

    /// Stores a profile as the reference of a run.
    public static func store(_ profile: DatasetProfile, runId: String, client: TrackingClient) async throws {
        let run = try await client.run(id: runId)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cairn-profile-\(UUID().uuidString).json")
        try ProfileFile.data(profile).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await client.uploadArtifact(
            runArtifactUri: run.info.artifactUri, localFile: file.path, artifactPath: artifactPath)
    }
}
