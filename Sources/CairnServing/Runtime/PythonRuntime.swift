import CairnCore
import CairnServingCore
import Foundation
import Logging

/// Runs any MLflow `python_function` model in a pool of long-lived Python worker processes that
/// load it once with `mlflow.pyfunc.load_model` and answer batches over pipes.
///
/// Concurrent requests with the same columns and params are combined into one `predict` call
/// (adaptive micro-batching: a free worker takes everything compatible that is waiting, up to
/// `maxBatchRows`), so Python's per-call cost is paid once per batch.
public struct PythonRuntime: ModelRuntime {
    /// How the pool behaves.
    public struct Options: Sendable {
        /// Worker processes per model.
        public var workers: Int
        /// Largest number of rows combined into one call.
        public var maxBatchRows: Int
        /// How long a free worker waits for more compatible requests before calling the model.
        public var maxBatchWait: Duration
        /// How long one request may take, queueing included, before it fails with 504.
        public var timeout: Duration
        /// How long loading the model may take.
        public var loadTimeout: Duration

        public init(
            workers: Int = 1, maxBatchRows: Int = 1000, maxBatchWait: Duration = .zero,
            timeout: Duration = .seconds(60), loadTimeout: Duration = .seconds(600)
        ) {
            self.workers = workers
            self.maxBatchRows = maxBatchRows
            self.maxBatchWait = maxBatchWait
            self.timeout = timeout
            self.loadTimeout = loadTimeout
        }
    }

    /// The interpreter the workers run.
    public let python: String
    public let options: Options
    let logger: Logger
    let events: WorkerEvents

    /// Creates a runtime; `events` hears about batches and worker restarts (for metrics).
    public init(python: String, options: Options, logger: Logger, events: WorkerEvents = WorkerEvents()) {
        self.python = python
        self.options = options
        self.logger = logger
        self.events = events
    }

    public func load(folder: String, label: String) async throws -> any LoadedModel {
        let launch = WorkerLaunch(python: python, folder: folder, label: label)
        let options = options
        let logger = logger
        let events = events
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let model = try PythonModel(launch: launch, options: options, logger: logger, events: events)
                    continuation.resume(returning: model)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// Callbacks a runtime calls as it works, for metrics.
public struct WorkerEvents: Sendable {
    /// A model call combined `rows` rows from `requests` requests.
    public var batch: @Sendable (_ label: String, _ rows: Int, _ requests: Int) -> Void
    /// A worker was replaced after a crash or a hang.
    public var restart: @Sendable (_ label: String, _ reason: String) -> Void

    public init(
        batch: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in },
        restart: @escaping @Sendable (String, String) -> Void = { _, _ in }
    ) {
        self.batch = batch
        self.restart = restart
    }
}

/// What starting a worker needs.
struct WorkerLaunch: Sendable {
    var python: String
    var folder: String
    var label: String

    func start() throws -> WorkerProcess {
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["MLFLOW_DISABLE_TELEMETRY"] = "true"
        env["DO_NOT_TRACK"] = "true"
        return try WorkerProcess(
            executable: python, arguments: ["-c", PythonWorkerScript.source, folder], environment: env)
    }
}
