import CairnCore
import CairnRunner
import Foundation

/// Where the Python interpreter for a model comes from.
public enum PythonEnvironment: Sendable, Equatable {
    /// An existing interpreter (`python3` on PATH by default).
    case local(python: String)
    /// A virtual environment built from the model's own `requirements.txt` with `base` and cached by
    /// the requirements' hash, as `mlflow models serve --env-manager virtualenv` does.
    case virtualenv(base: String, cache: String)

    /// The interpreter to run for the model in `folder`, building its environment first if needed.
    public func interpreter(forModel folder: String, progress: @Sendable (String) -> Void) throws -> String {
        switch self {
        case .local(let python):
            return try Self.locate(python)
        case .virtualenv(let base, let cache):
            let python = try Self.locate(base)
            let requirements = folder + "/requirements.txt"
            guard let text = FileManager.default.contents(atPath: requirements) else {
                throw MlflowError.invalid(
                    "The model has no requirements.txt, so no virtual environment can be built; use --env-manager local."
                )
            }
            let pythonEnv = FileManager.default.contents(atPath: folder + "/python_env.yaml") ?? Data()
            do {
                let env = try VirtualEnvironment.prepare(
                    base: python, requirements: String(decoding: text, as: UTF8.self), cacheFolder: cache,
                    keyExtra: [String(decoding: pythonEnv, as: UTF8.self)], log: progress)
                if !env.built { progress("Reusing the model's environment in \(env.path)") }
                return env.python
            } catch let error as VirtualEnvironment.Failure {
                throw MlflowError.invalid("Cannot build the model's environment: \(error.description)")
            }
        }
    }

    /// An absolute path for `python`, searching PATH for bare names.
    static func locate(_ python: String) throws -> String {
        let directory = FileManager.default.currentDirectoryPath
        if let path = LaunchCheck.resolve(python, in: directory, environment: ProcessInfo.processInfo.environment) {
            return path
        }
        throw MlflowError.invalid(
            python.contains("/")
                ? "No Python interpreter at '\(python)'."
                : "'\(python)' is not on PATH; install Python 3 with mlflow or pass --python.")
    }
}
