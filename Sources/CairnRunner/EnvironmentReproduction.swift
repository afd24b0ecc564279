import Foundation

/// The Python environment a reproduction runs in, and how it differs from the recorded one.
///
/// In `current` mode the command's own interpreter is compared with the record. In `venv` mode a
/// virtual environment with exactly the recorded pins is built (or reused from the cache) and the
/// command runs with it: its interpreter replaces a leading `python…` in the command and its `bin`
/// goes first on `PATH`.
public struct EnvironmentReproduction: Sendable {
    /// Where the packages come from.
    public enum Mode: String, Sendable, CaseIterable {
        case current, venv
    }

    /// What a run recorded about its Python.
    public struct Recorded: Sendable {
        public var interpreter: String?
        public var version: String?
        public var freeze: String

        /// Reads the `cairn.env.python` tag (`PATH VERSION`) and the recorded `pip freeze`.
        public init(pythonTag: String?, freeze: String) {
            if let tag = pythonTag, let space = tag.lastIndex(of: " ") {
                interpreter = String(tag[..<space])
                version = String(tag[tag.index(after: space)...])
            }
            self.freeze = freeze
        }
    }

    public var mode: Mode
    /// Differences between the recorded environment and the one used.
    public var diff: EnvironmentDiff
    /// The command to run (its interpreter replaced in `venv` mode).
    public var command: [String]
    /// Environment variables for the command.
    public var environment: [String: String]
    /// The interpreter whose environment is used.
    public var python: String?
    /// Things said along the way (packages that could not be installed, the Python version used).
    public var notes: [String]

    /// Prepares the environment for re-running `command` in `directory`.
    public static func prepare(
        mode: Mode, recorded: Recorded, command: [String], directory: String, findLinks: [String],
        cacheFolder: String, log: (String) -> Void
    ) throws -> EnvironmentReproduction {
        let base = ProcessInfo.processInfo.environment
        switch mode {
        case .current:
            let python = EnvironmentCapture.pythonInterpreter(for: command, directory: directory)
            let current = EnvironmentCapture.capture(
                command: command, directory: directory, environment: base, python: python)
            let diff = EnvironmentDiff(
                recordedPython: recorded.version, currentPython: current.pythonVersion,
                recorded: PackageSet(freeze: recorded.freeze), current: PackageSet(freeze: current.pipFreeze ?? ""))
            return EnvironmentReproduction(
                mode: mode, diff: diff, command: command, environment: [:], python: python, notes: [])
        case .venv:
            var notes: [String] = []
            var interpreter = "python3"
            if let path = recorded.interpreter, path.contains("/"), FileManager.default.isExecutableFile(atPath: path) {
                interpreter = path
            } else if let path = recorded.interpreter, !path.contains("/") {
                interpreter = path
            }
            let baseVersion = Shell.run([interpreter, "-c", "import sys; print(sys.version.split()[0])"])
            guard let baseVersion, baseVersion.status == 0 else {
                throw VirtualEnvironment.Failure(description: "Cannot run \(interpreter) to build the environment.")
            }
            if let v = recorded.version, v != baseVersion.text {
                notes.append(
                    "Python \(v) was recorded but is not available; building with \(interpreter) (\(baseVersion.text))")
            }
            let packages = PackageSet(freeze: recorded.freeze)
            let pins = packages.sorted.filter(\.isPinned)
            for r in packages.sorted where !r.isPinned {
                notes.append("not installed as recorded: \(r.line) (an editable install or a local path)")
            }
            let env = try VirtualEnvironment.prepare(
                base: interpreter, requirements: pins.map(\.line).joined(separator: "\n") + "\n",
                cacheFolder: cacheFolder, keyExtra: [baseVersion.text], findLinks: findLinks, noDependencies: true,
                individually: true, log: log)
            if !env.built { log("Reusing the environment in \(env.path)") }
            for s in env.skipped { notes.append("could not install \(s.requirement): \(s.reason)") }
            var command = command
            if let first = command.first, (first as NSString).lastPathComponent.hasPrefix("python") {
                command[0] = env.python
            }
            var environment = [
                "PATH": env.bin + ":" + (base["PATH"] ?? "/usr/bin:/bin"), "VIRTUAL_ENV": env.path,
            ]
            environment["PYTHONNOUSERSITE"] = "1"
            let current = EnvironmentCapture.capture(
                command: command, directory: directory, environment: base.merging(environment) { $1 },
                python: env.python)
            let diff = EnvironmentDiff(
                recordedPython: recorded.version, currentPython: current.pythonVersion, recorded: packages,
                current: PackageSet(freeze: current.pipFreeze ?? ""))
            return EnvironmentReproduction(
                mode: mode, diff: diff, command: command, environment: environment, python: env.python, notes: notes)
        }
    }
}
