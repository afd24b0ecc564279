import CairnCore
import CairnInference
import Logging

/// Which runtime serves a model.
public enum RuntimeChoice: String, Sendable, CaseIterable {
    /// Native when the model has a flavor Cairn evaluates itself, else Python workers.
    case auto
    /// Native only; a model without a native flavor is an error.
    case native
    /// Python workers (`mlflow.pyfunc`), whatever the flavor.
    case python
}

/// Loads fetched models with the chosen runtime, the one place `cairn serve`, rollouts and
/// `cairn predict` decide between the native runtime and Python workers.
///
/// ```swift
/// let loader = ModelLoader(choice: .auto, environment: .local(python: "python3"), python: .init(), logger: logger)
/// let model = try await loader.load(fetched)   // native for an XGBoost model, Python workers otherwise
/// ```
public struct ModelLoader: Sendable {
    public var choice: RuntimeChoice
    /// Where the Python workers' interpreter comes from.
    public var environment: PythonEnvironment
    /// The Python worker pool's settings.
    public var python: PythonRuntime.Options
    /// Batch and restart callbacks of the Python runtime (metrics).
    public var events: WorkerEvents
    public var logger: Logger

    public init(
        choice: RuntimeChoice, environment: PythonEnvironment, python: PythonRuntime.Options, logger: Logger,
        events: WorkerEvents = WorkerEvents()
    ) {
        self.choice = choice
        self.environment = environment
        self.python = python
        self.logger = logger
        self.events = events
    }

    /// Loads `model`; `progress` hears which runtime was chosen and why, and environment builds.
    public func load(
        _ model: FetchedModel, progress: @escaping @Sendable (String) -> Void
    ) async throws -> any LoadedModel {
        if choice != .python {
            do {
                let loaded = try await NativeRuntime().load(folder: model.folder, label: model.label)
                let flavor = loaded.details.first { $0.0 == "flavors" }?.1 ?? "native"
                progress("Loaded \(model.label) with the native \(flavor) runtime")
                return loaded
            } catch let error as InferenceError {
                if choice == .native {
                    throw MlflowError.invalid("\(model.label) cannot run on the native runtime: \(error)")
                }
                progress("Serving \(model.label) with Python workers: the native runtime cannot run it: \(error)")
            }
        }
        let interpreter = try environment.interpreter(forModel: model.folder, progress: progress)
        let runtime = PythonRuntime(python: interpreter, options: python, logger: logger, events: events)
        progress("Loading \(model.label) from \(model.folder) with \(interpreter) (\(python.workers) workers)")
        return try await runtime.load(folder: model.folder, label: model.label)
    }
}
