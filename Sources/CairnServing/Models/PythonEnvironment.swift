import CairnCore
import Crypto
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
            var hasher = SHA256()
            hasher.update(data: text)
            if let env = FileManager.default.contents(atPath: folder + "/python_env.yaml") { hasher.update(data: env) }
            hasher.update(data: Data(python.utf8))
            let key = hasher.finalize().map { String(format: "%02x", $0) }.joined().prefix(20)
            let env = cache + "/" + key
            let envPython = env + "/bin/python"
            if FileManager.default.fileExists(atPath: env + "/.cairn-complete") { return envPython }
            try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: env)
            progress("Creating a virtual environment for the model in \(env)")
            try Self.run(python, ["-m", "venv", env])
            progress("Installing the model's requirements (\(requirements))")
            try Self.run(
                envPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements])
            FileManager.default.createFile(atPath: env + "/.cairn-complete", contents: text)
            return envPython
        }
    }

    /// An absolute path for `python`, searching PATH for bare names.
    static func locate(_ python: String) throws -> String {
        if python.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw MlflowError.invalid("No Python interpreter at '\(python)'.")
            }
            return python
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(python)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw MlflowError.invalid("'\(python)' is not on PATH; install Python 3 with mlflow or pass --python.")
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MlflowError.invalid(
                "'\(executable) \(arguments.joined(separator: " "))' failed with exit status \(process.terminationStatus)."
            )
        }
    }
}
