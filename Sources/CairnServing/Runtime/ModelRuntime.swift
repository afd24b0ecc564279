import CairnServingCore

/// Loads models of one kind and runs them.
///
/// A runtime turns a model folder (an MLflow model: `MLmodel` and its files) into a
/// ``LoadedModel`` that predicts batches; the scoring server, rollouts and batch scoring only see
/// this protocol, so native runtimes plug in beside the Python one.
///
/// ```swift
/// let runtime = PythonRuntime(environment: .local(python: "python3"), workers: 2)
/// let model = try await runtime.load(folder: "/models/churn/3", label: "churn/3")
/// let out = try await model.predict(ScoringRequest(input: .frame(frame)))
/// await model.shutdown()
/// ```
public protocol ModelRuntime: Sendable {
    /// Loads the model in `folder`; returns once it can answer. `label` names it in logs.
    func load(folder: String, label: String) async throws -> any LoadedModel
}

/// A model ready to predict.
public protocol LoadedModel: AnyObject, Sendable {
    /// The input/output schema the model was logged with (empty when it has none).
    var signature: ModelSignature { get }
    /// Facts about the loaded model for `/health` and metadata (flavors, interpreter, load time).
    var details: [(String, String)] { get }
    /// Seconds it took to load.
    var loadSeconds: Double { get }
    /// Predicts; throws ``ScoringError`` for refused input (400), failures (500/503) and timeouts (504).
    func predict(_ request: ScoringRequest) async throws -> Predictions
    /// Stops accepting work, finishes what is queued, and releases the model's processes.
    func shutdown() async
}
