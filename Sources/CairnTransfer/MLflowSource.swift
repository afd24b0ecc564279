import CairnCore

/// An MLflow installation to import from: its SQL database or its `mlruns` folder.
///
/// ```swift
/// let source = try await MLflowSQLSource.open(uri: "sqlite:///mlflow.db")
/// for e in try await source.experiments() { print(e.id, e.name) }
/// ```
protocol MLflowSource: Sendable {
    /// Where the data lives, for messages.
    var location: String { get }
    /// The folder that relative artifact paths were recorded against.
    var baseDirectory: String { get }
    /// What the source holds that an import leaves out.
    func inventory() async throws -> MLflowInventory
    /// Every experiment of the default workspace, deleted ones included, by id.
    func experiments() async throws -> [MLflowExperiment]
    /// The ids of the experiment's runs, deleted ones included.
    func runIds(experiment: MLflowExperiment) async throws -> [String]
    /// One run with its params, tags, full metric history and inputs.
    func run(id: String, experiment: MLflowExperiment) async throws -> MLflowRun
    /// The experiment's logged models with their params, tags and metrics.
    func loggedModels(experiment: MLflowExperiment) async throws -> [MLflowLoggedModel]
    /// Every registered model of the default workspace with its versions.
    func registeredModels() async throws -> [MLflowRegisteredModel]
    /// Releases the source.
    func close() async throws
}

/// What an MLflow source holds beyond what Cairn models.
struct MLflowInventory: Sendable, Equatable {
    /// Tables (or folders) Cairn has no place for, with their row counts; empty ones are left out.
    var skippedTables: [SkippedTable] = []
    /// Workspaces other than `default` that hold experiments or registered models.
    var otherWorkspaces: [String] = []

    /// A table the import does not read.
    struct SkippedTable: Sendable, Equatable {
        var name: String
        var rows: Int
    }
}
