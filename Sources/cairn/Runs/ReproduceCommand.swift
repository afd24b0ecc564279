import ArgumentParser
import CairnClient
import CairnCore
import CairnRunner
import CairnServer
import Foundation

/// `cairn reproduce RUN_ID`: rebuild the recorded source and re-run it, then compare metrics.
struct ReproduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Re-run a recorded run from its exact source, data, params and seed, and compare its metrics.",
        discussion: """
            Rebuilds the source as a git worktree at the recorded commit plus the recorded diff and untracked \
            files, finds every dataset (inside the checkout when the commit tracks it, else at its recorded \
            location or a --data override), checks its digests and places it at the same relative path in the \
            checkout, re-runs the same command as a new run tagged \
            cairn.reproducedFrom=<RUN_ID>, and prints a metric-by-metric comparison. Exits 1 when any metric \
            differs beyond the tolerance, 2 when the data changed (unless --allow-data-change).

            The Python environment is compared with the recorded one (Python version and every package of \
            pip freeze) and the differences are printed before the run; --strict-env refuses instead (exit 2). \
            --env venv rebuilds the recorded packages in a cached virtual environment (from the index or \
            --find-links folders) and runs there. The reproduced run is tagged cairn.reproduce.env and \
            carries the differences as an artifact.
            """)

    @OptionGroup var client: ClientOptions

    @Argument(help: "The run to reproduce.")
    var runId: String

    @Option(help: "Relative tolerance for metric comparison.")
    var tolerance: Double = 1e-9

    @Option(help: ArgumentHelp("Folder to rebuild the source in (default: a new temporary folder).", valueName: "dir"))
    var workdir: String?

    @Flag(help: "Run even if a dataset changed since the original run.")
    var allowDataChange = false

    @Option(
        help: ArgumentHelp(
            "Where a recorded dataset is now, when it moved (repeatable; matched by folder or file name).",
            valueName: "path"))
    var data: [String] = []

    @Option(
        help: ArgumentHelp(
            "current: run in the interpreter the command finds now; venv: build (once, cached) a virtual "
                + "environment with exactly the recorded packages and run in it.", valueName: "current|venv"))
    var env: String = "current"

    @Flag(help: "Refuse (exit 2) when the Python environment differs from the recorded one.")
    var strictEnv = false

    @Option(
        help: ArgumentHelp(
            "A folder of wheels pip may install recorded packages from, besides the index (repeatable).",
            valueName: "dir"))
    var findLinks: [String] = []

    @Option(help: ArgumentHelp("Folder for built environments (default: ~/.cache/cairn/envs).", valueName: "dir"))
    var envCache: String?

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else {
            throw ValidationError("--tolerance must be a non-negative number.")
        }
        guard EnvironmentReproduction.Mode(rawValue: env) != nil else {
            throw ValidationError("--env must be current or venv.")
        }
        for dir in findLinks where !FileManager.default.fileExists(atPath: dir) {
            throw ValidationError("--find-links \(dir) does not exist.")
        }
    }

    func run() async throws {
        var failure: ExitCode?
        try await reportingErrors {
            var request = ReproduceRequest(runId: runId)
            request.tolerance = tolerance
            request.workdir = workdir
            request.allowDataChange = allowDataChange
            request.data = data
            request.environment = EnvironmentReproduction.Mode(rawValue: env) ?? .current
            request.strictEnvironment = strictEnv
            request.findLinks = findLinks
            if let envCache { request.environmentCache = envCache }
            let outcome = try await Reproducer(client: try client.client(), version: cairnVersion).run(
                request, log: note)
            guard case .ran(let report) = outcome else {
                failure = ExitCode(2)
                return
            }
            var table = TextTable(header: ["METRIC", "ORIGINAL", "REPRODUCED", "ABS DIFF", ""])
            for d in report.metrics {
                let delta = (d.original != nil && d.reproduced != nil) ? String(abs(d.original! - d.reproduced!)) : "-"
                table.rows.append([
                    d.key, d.original.map { String($0) } ?? "missing", d.reproduced.map { String($0) } ?? "missing",
                    delta, d.matches ? "ok" : "DIFFERS",
                ])
            }
            print(report.metrics.isEmpty ? "No metrics to compare." : table.render())
            note(report.verdict)
            let bad = report.metrics.filter { !$0.matches }.count
            if report.result.status != .finished {
                note("the reproduction run ended \(report.result.status.rawValue)")
                failure = ExitCode.failure
            } else if bad > 0 {
                note("\(bad) of \(report.metrics.count) metrics differ beyond tolerance \(tolerance)")
                failure = ExitCode.failure
            } else {
                note("reproduced: \(report.metrics.count) metrics match (run \(report.result.runId))")
            }
        }
        if let failure { throw failure }
    }
}
