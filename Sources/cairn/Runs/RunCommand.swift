import ArgumentParser
import CairnClient
import CairnCore
import CairnRunner
import CairnServer
import Foundation

/// Parses `k=v` options.
func parseAssignments(_ items: [String], option: String) throws -> [KeyValue] {
    var out: [KeyValue] = []
    for item in items {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
            throw ValidationError("\(option) expects key=value, got '\(item)'.")
        }
        let key = String(item[..<eq])
        do {
            try Validation.validateKey(key, kind: "Param key")
        } catch {
            throw ValidationError(error.message)
        }
        if out.contains(where: { $0.key == key }) { throw ValidationError("\(option) '\(key)' is given twice.") }
        out.append(KeyValue(key, String(item[item.index(after: eq)...])))
    }
    return out
}

/// Writes a progress or status line to stderr.
func note(_ text: String) {
    Console.err("cairn: \(text)\n")
}

/// Refuses, before any run exists, a command with a `{key}` no parameter fills or a program that cannot start.
func checkLaunchable(_ command: [String], keys: Set<String>) throws {
    let missing = SweepPlan.unfilledPlaceholders(in: command, keys: keys)
    if !missing.isEmpty {
        throw ValidationError(
            "The command uses " + missing.map { "{\($0)}" }.joined(separator: ", ")
                + " but no --param gives a value for it.")
    }
    let directory = FileManager.default.currentDirectoryPath
    if let problem = LaunchCheck.problem(
        with: command, in: directory, environment: ProcessInfo.processInfo.environment)
    {
        throw ValidationError(problem)
    }
}

/// `cairn run [...] -- COMMAND ARGS...`: a tracked, reproducible run.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command as a tracked, reproducible run.",
        discussion: """
            Creates a run, records the git commit (and any uncommitted diff and untracked files), the \
            environment (OS, CPU, Python, pip and platform, pip freeze, and the project's requirements or lock \
            files), data digests, parameters and seed, then runs \
            COMMAND with MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID set so its own mlflow \
            calls land in the same run. {key} in the command is replaced by --param values; params are also \
            exported as CAIRN_PARAM_<KEY>, the seed as CAIRN_SEED.

            Example: cairn run --experiment mnist --param lr=0.01 --data data/ --seed 7 -- python train.py --lr {lr}
            """)

    @OptionGroup var client: ClientOptions

    @Option(help: "Experiment name (created if missing; default: Default).")
    var experiment: String?

    @Option(help: "Run name (default: generated).")
    var name: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter key=value (repeatable).", valueName: "k=v"))
    var params: [String] = []

    @Option(
        name: .customLong("data"),
        help: ArgumentHelp("A data file or folder to digest (repeatable).", valueName: "path"))
    var data: [String] = []

    @Option(help: "Random seed, exported as CAIRN_SEED and logged as param 'seed'.")
    var seed: String?

    @Option(
        help: ArgumentHelp(
            "The Python interpreter whose environment is recorded; its folder goes first on PATH for the command.",
            valueName: "path"))
    var python: String?

    @Argument(parsing: .postTerminator, help: "The command to run, after --.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("Give the command to run after --.") }
        let assigned = try parseAssignments(params, option: "--param")
        try checkLaunchable(command, keys: Set(assigned.map(\.key) + (seed == nil ? [] : ["seed"])))
        for path in data where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("--data \(path) does not exist.")
        }
        if let python, !FileManager.default.isExecutableFile(atPath: python) {
            throw ValidationError("--python \(python) is not an executable interpreter.")
        }
    }

    func run() async throws {
        var exitCode: Int32 = 0
        try await reportingErrors {
            let tracking = try client.client()
            let experimentId = try await tracking.experimentId(named: experiment ?? "Default")
            let directory = FileManager.default.currentDirectoryPath
            var spec = LaunchSpec(
                experimentId: experimentId, runName: name, params: try parseAssignments(params, option: "--param"),
                dataPaths: data, seed: seed, command: command, directory: directory)
            spec.python = python.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            let result = try await RunLauncher(client: tracking, version: cairnVersion).launch(
                spec, source: SourceSnapshot.capture(in: directory), log: note)
            note(
                "run \(result.runId) \(result.status.rawValue.lowercased()) in \(String(format: "%.1f", result.outcome.seconds)) s"
            )
            note("view at: \(client.runPage(result.runId))")
            note("reproduce with: cairn reproduce \(result.runId)")
            exitCode = result.exitCode
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
