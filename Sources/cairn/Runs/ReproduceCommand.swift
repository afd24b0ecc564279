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
            let tracking = try client.client()
            let original = try await tracking.run(id: runId)
            let tags = Dictionary(original.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard let commandJSON = tags[RunLauncher.Tags.command],
                case .array(let items)? = try? JSONParser.parse(commandJSON)
            else {
                throw MlflowError.invalid("Run \(runId) was not recorded by 'cairn run'; it has no command to re-run.")
            }
            let command = items.compactMap(\.text)
            let records = original.datasetInputs.compactMap(Self.recordedData)
            let overrides = try RecordedData.match(overrides: data, to: records)

            // 1. Source: a worktree at the commit with the diff and untracked files.
            var directory = tags[RunLauncher.Tags.workdir] ?? FileManager.default.currentDirectoryPath
            var rebuilt: String?
            // The checkout is removed again unless the user named it and the reproduction ran; a refused or
            // failed reproduction leaves nothing behind, also not in the repository's worktree list.
            var keepCheckout = false
            defer {
                if let rebuilt, let root = tags[RunLauncher.Tags.gitRoot], !keepCheckout {
                    SourceSnapshot.removeWorktree(rebuilt, repository: root)
                }
            }
            if let commit = tags["mlflow.source.git.commit"], let root = tags[RunLauncher.Tags.gitRoot] {
                let target =
                    workdir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                    ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                        "cairn-reproduce-\(runId.prefix(8))-\(UUID().uuidString.prefix(6))"
                    ).path
                let files = try await tracking.listRunArtifacts(
                    runArtifactUri: original.info.artifactUri, artifactPath: "cairn/source")
                let diff =
                    files.contains("diff.patch")
                    ? try await tracking.readArtifact(
                        runArtifactUri: original.info.artifactUri, artifactPath: RunLauncher.Artifacts.diff)
                    : nil
                let staging = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cairn-untracked-\(UUID().uuidString)"
                ).path
                defer { try? FileManager.default.removeItem(atPath: staging) }
                for file in files where file.hasPrefix("untracked/") {
                    let data = try await tracking.readArtifact(
                        runArtifactUri: original.info.artifactUri, artifactPath: "cairn/source/" + file)
                    let local = staging + "/" + file.dropFirst("untracked/".count)
                    try FileManager.default.createDirectory(
                        atPath: (local as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try data.write(to: URL(fileURLWithPath: local))
                }
                try SourceSnapshot.rebuild(
                    repository: root, commit: commit, diff: diff, untrackedFolder: staging, into: target)
                rebuilt = target
                let subdir = tags[RunLauncher.Tags.gitSubdir] ?? "."
                directory = subdir == "." ? target : target + "/" + subdir
                note("rebuilt source of \(commit.prefix(10))\(diff == nil ? "" : " + diff") in \(target)")
            } else {
                note("run \(runId) has no git commit recorded; re-running in \(directory) as is")
            }

            var dataChanged = false
            // 2. Data: found where the commit tracks it, at the --data override, or at the recorded location;
            // its bytes verified against the recorded digests and placed at the same relative path.
            var dataPaths: [String] = []
            for (record, override) in zip(records, overrides) {
                let location = record.locate(
                    gitRoot: tags[RunLauncher.Tags.gitRoot], rebuilt: rebuilt, override: override)
                let changed = record.changedFiles(at: location.source)
                if changed.first?.hasPrefix("(missing) ") == true {
                    note("the recorded data \(record.path) is not at \(location.source)")
                    note("refusing to reproduce; pass --data PATH to point to a copy of it")
                    failure = ExitCode(2)
                    return
                }
                if !changed.isEmpty {
                    dataChanged = true
                    note("data changed in \(location.source): " + changed.joined(separator: ", "))
                    if !allowDataChange {
                        note("refusing to reproduce; pass --allow-data-change to run anyway")
                        failure = ExitCode(2)
                        return
                    }
                }
                if let target = location.target {
                    try RecordedData.place(from: location.source, into: target)
                }
                dataPaths.append(location.source)
            }

            let experimentParams = original.params.filter { $0.key != "seed" || tags[RunLauncher.Tags.seed] == nil }
            // 3. Environment: the recorded packages against the ones about to be used.
            let artifacts = try await tracking.listRunArtifacts(
                runArtifactUri: original.info.artifactUri, artifactPath: "cairn/env")
            let freeze =
                artifacts.contains("requirements.txt")
                ? String(
                    decoding: try await tracking.readArtifact(
                        runArtifactUri: original.info.artifactUri, artifactPath: RunLauncher.Artifacts.requirements),
                    as: UTF8.self) : nil
            var environment: EnvironmentReproduction?
            if let freeze {
                let mode = EnvironmentReproduction.Mode(rawValue: env) ?? .current
                let prepared = try EnvironmentReproduction.prepare(
                    mode: mode, recorded: .init(pythonTag: tags[RunLauncher.Tags.python], freeze: freeze),
                    command: command, directory: directory,
                    findLinks: findLinks.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                    cacheFolder: envCache ?? Self.defaultEnvCache, log: note)
                for line in prepared.notes { note(line) }
                if prepared.diff.isEmpty {
                    note("environment: the same Python and packages as recorded")
                } else {
                    note("environment differs from the recorded one (\(mode.rawValue)):")
                    for line in prepared.diff.lines { note("  " + line) }
                    if strictEnv {
                        note("refusing to reproduce (--strict-env); try --env venv to rebuild the recorded packages")
                        failure = ExitCode(2)
                        return
                    }
                    note("running anyway: metric differences may come from these packages")
                }
                environment = prepared
            } else if env == "venv" || strictEnv {
                note("run \(runId) recorded no Python environment; running in the current one")
            }

            // 4. Re-run with the same params and seed.
            var spec = LaunchSpec(
                experimentId: original.info.experimentId, runName: original.info.runName + "-repro",
                params: experimentParams, dataPaths: dataPaths, seed: tags[RunLauncher.Tags.seed],
                command: environment?.command ?? command, directory: directory,
                tags: [
                    KeyValue(RunLauncher.Tags.reproducedFrom, runId),
                    KeyValue(RunLauncher.Tags.reproduceEnv, environment?.mode.rawValue ?? "current"),
                ])
            spec.environment = environment?.environment ?? [:]
            spec.python = environment?.python
            let result = try await RunLauncher(client: tracking, version: cairnVersion).launch(
                spec, source: SourceSnapshot.capture(in: directory), log: note)
            keepCheckout = workdir != nil
            if let diff = environment?.diff, !diff.isEmpty {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cairn-env-diff-\(UUID().uuidString).txt")
                try Data((diff.lines.joined(separator: "\n") + "\n").utf8).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let reproducedRun = try await tracking.run(id: result.runId)
                try await tracking.uploadArtifact(
                    runArtifactUri: reproducedRun.info.artifactUri, localFile: file.path,
                    artifactPath: RunLauncher.Artifacts.environmentDiff)
            }

            // 5. Compare.
            let reproduced = try await tracking.run(id: result.runId)
            let diffs = MetricComparison.compare(
                original: original.metrics, reproduced: reproduced.metrics, tolerance: tolerance)
            var table = TextTable(header: ["METRIC", "ORIGINAL", "REPRODUCED", "ABS DIFF", ""])
            for d in diffs {
                let delta = (d.original != nil && d.reproduced != nil) ? String(abs(d.original! - d.reproduced!)) : "-"
                table.rows.append([
                    d.key, d.original.map { String($0) } ?? "missing", d.reproduced.map { String($0) } ?? "missing",
                    delta,
                    d.matches ? "ok" : "DIFFERS",
                ])
            }
            print(diffs.isEmpty ? "No metrics to compare." : table.render())
            let bad = diffs.filter { !$0.matches }.count
            note(
                ReproductionVerdict.line(
                    codeRebuilt: rebuilt != nil, dataChanged: dataChanged, environment: environment?.diff,
                    metrics: diffs))
            if result.status != .finished {
                note("the reproduction run ended \(result.status.rawValue)")
                failure = ExitCode.failure
            } else if bad > 0 {
                note("\(bad) of \(diffs.count) metrics differ beyond tolerance \(tolerance)")
                failure = ExitCode.failure
            } else {
                note("reproduced: \(diffs.count) metrics match (run \(result.runId))")
            }
        }
        if let failure { throw failure }
    }

    /// Where `--env venv` keeps environments: `$XDG_CACHE_HOME/cairn/envs`, else `~/.cache/cairn/envs`.
    static var defaultEnvCache: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/cairn/envs"
    }

    /// The location and per-file digests a `cairn run` recorded for a local dataset.
    static func recordedData(_ input: DatasetInput) -> RecordedData? {
        guard input.dataset.sourceType == "local", let source = try? JSONParser.parse(input.dataset.source),
            let path = source["path"]?.text
        else { return nil }
        let files = (try? JSONParser.parse(input.dataset.profile ?? "{}"))?["files"]?.objectValue ?? [:]
        return RecordedData(path: path, files: files.compactMapValues(\.text))
    }
}
