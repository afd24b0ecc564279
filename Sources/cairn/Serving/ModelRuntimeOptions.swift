import ArgumentParser
import CairnClient
import CairnCore
import CairnRunner
import CairnServing
import Foundation

/// Options shared by the commands that load models (`cairn serve`, `cairn predict`).
struct ModelRuntimeOptions: ParsableArguments {
    enum EnvManager: String, ExpressibleByArgument, CaseIterable {
        case local, virtualenv
    }

    @Option(
        help: ArgumentHelp(
            "auto: Cairn's native runtime for XGBoost, LightGBM and ONNX models, Python workers for the rest; native: fail unless the model runs natively; python: always Python workers.",
            valueName: "auto|native|python"))
    var runtime: RuntimeChoice = .auto

    @Option(help: "Python worker processes per model.")
    var workers: Int = 1

    @Option(
        help: ArgumentHelp(
            "local: run the workers with --python; virtualenv: build (once, cached) an environment from the model's requirements.txt."
        ))
    var envManager: EnvManager = .local

    @Option(
        help: ArgumentHelp(
            "Python interpreter with mlflow installed; a bare name is looked up on PATH.", valueName: "path"))
    var python: String = "python3"

    @Option(help: ArgumentHelp("Seconds one prediction may take, queueing included (504 after).", valueName: "seconds"))
    var timeout: Double = 60

    @Option(help: "Most rows combined into one model call.")
    var maxBatchRows: Int = 1000

    @Option(
        help: ArgumentHelp(
            "Milliseconds a free worker waits for more requests to combine (0: take what is waiting).", valueName: "ms")
    )
    var maxBatchWaitMs: Double = 0

    @Option(help: ArgumentHelp("Folder for downloaded models and built environments.", valueName: "dir"))
    var cache: String?

    func validate() throws {
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be between 1 and 256.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive.") }
        guard (1...1_000_000).contains(maxBatchRows) else {
            throw ValidationError("--max-batch-rows must be 1-1000000.")
        }
        guard (0...10_000).contains(maxBatchWaitMs) else {
            throw ValidationError("--max-batch-wait-ms must be 0-10000.")
        }
    }

    /// Checks a model URI's form.
    func check(uri: String) throws {
        guard !ModelFetcher.isLocalFolder(uri) else { return }
        do {
            _ = try ModelURI(parsing: uri)
        } catch {
            throw ValidationError(error.message)
        }
    }

    var resolvedCache: String { cache ?? ModelFetcher.defaultCache }

    var environment: PythonEnvironment {
        switch envManager {
        case .local: .local(python: python)
        case .virtualenv: .virtualenv(base: python, cache: cache.map { $0 + "/envs" } ?? CacheFolder.path("envs"))
        }
    }

    var runtimeOptions: PythonRuntime.Options {
        PythonRuntime.Options(
            workers: workers, maxBatchRows: maxBatchRows, maxBatchWait: .microseconds(Int64(maxBatchWaitMs * 1000)),
            timeout: .milliseconds(Int64(timeout * 1000)))
    }

    /// A tracking client when any URI needs the registry.
    func client(tracking: TrackingURIOption, for uris: [String]) throws -> TrackingClient? {
        guard uris.contains(where: { !ModelFetcher.isLocalFolder($0) }) else { return nil }
        do {
            return try TrackingClient(uri: tracking.resolved)
        } catch {
            throw ValidationError(error.message)
        }
    }
}

extension RuntimeChoice: ExpressibleByArgument {}
