import CairnClient
import CairnCore
import Foundation

/// Re-runs a run recorded by `cairn run` from its exact source, data, params, seed and (on request)
/// packages, then compares its metrics with the original's.
///
/// The source is rebuilt as a git worktree at the recorded commit plus the recorded diff and
/// untracked files; every dataset is found (inside the checkout, at its recorded location or at an
/// override), verified against its recorded digests and placed at the same relative path; the Python
/// environment is compared with the record (or rebuilt, in `venv` mode). A refused or failed
/// reproduction leaves no worktree behind.
///
/// ```swift
/// let outcome = try await Reproducer(client: client, version: "0.1.0").run(
///     ReproduceRequest(runId: "3f2a…"), log: { print($0) })
/// ```
public struct Reproducer: Sendable {
    let client: TrackingClient
    let version: String

    public init(client: TrackingClient, version: String) {
        self.client = client
        self.version = version
    }

    /// Reproduces a run.
    public func run(_ request: ReproduceRequest, log: @escaping @Sendable (String) -> Void) async throws
        -> ReproduceOutcome
    {
        let original = try await client.run(id: request.runId)
        let tags = Dictionary(original.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let commandJSON = tags[RunLauncher.Tags.command],
            case .array(let items)? = try? JSONParser.parse(commandJSON)
        else {
            throw MlflowError.invalid(
                "Run \(request.runId) was not recorded by 'cairn run'; it has no command to re-run.")
        }
        let command = items.compactMap(\.text)
        let records = original.datasetInputs.compactMap(Reproducer.recordedData)
        let overrides = try RecordedData.match(overrides: request.data, to: records)

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
                request.workdir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cairn-reproduce-\(request.runId.prefix(8))-\(UUID().uuidString.prefix(6))"
                ).path
            let files = try await client.listRunArtifacts(
                runArtifactUri: original.info.artifactUri, artifactPath: "cairn/source")
            let diff =
                files.contains("diff.patch")
                ? try await client.readArtifact(
                    runArtifactUri: original.info.artifactUri, artifactPath: RunLauncher.Artifacts.diff)
                : nil
            let staging = FileManager.default.temporaryDirectory.appendingPathComponent(
                "cairn-untracked-\(UUID().uuidString)"
            ).path
            defer { try? FileManager.default.removeItem(atPath: staging) }
            for file in files where file.hasPrefix("untracked/") {
                let data = try await client.readArtifact(
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
            log("rebuilt source of \(commit.prefix(10))\(diff == nil ? "" : " + diff") in \(target)")
        } else {
            log("run \(request.runId) has no git commit recorded; re-running in \(directory) as is")
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
                log("the recorded data \(record.path) is not at \(location.source)")
                log("refusing to reproduce; pass --data PATH to point to a copy of it")
                return .refused
            }
            if !changed.isEmpty {
                dataChanged = true
                log("data changed in \(location.source): " + changed.joined(separator: ", "))
                if !request.allowDataChange {
                    log("refusing to reproduce; pass --allow-data-change to run anyway")
                    return .refused
                }
            }
            if let target = location.target {
                try RecordedData.place(from: location.source, into: target)
            }
            dataPaths.append(location.source)
        }

        let experimentParams = original.params.filter { $0.key != "seed" || tags[RunLauncher.Tags.seed] == nil }
        // 3. Environment: the recorded packages against the ones about to be used.
        let artifacts = try await client.listRunArtifacts(
            runArtifactUri: original.info.artifactUri, artifactPath: "cairn/env")
        let freeze =
            artifacts.contains("requirements.txt")
            ? String(
                decoding: try await client.readArtifact(
                    runArtifactUri: original.info.artifactUri, artifactPath: RunLauncher.Artifacts.requirements),
                as: UTF8.self) : nil
        var environment: EnvironmentReproduction?
        if let freeze {
            let mode = request.environment
            let prepared = try EnvironmentReproduction.prepare(
                mode: mode, recorded: .init(pythonTag: tags[RunLauncher.Tags.python], freeze: freeze),
                command: command, directory: directory,
                findLinks: request.findLinks.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                cacheFolder: request.environmentCache, log: log)
            for line in prepared.notes { log(line) }
            if prepared.diff.isEmpty {
                log("environment: the same Python and packages as recorded")
            } else {
                log("environment differs from the recorded one (\(mode.rawValue)):")
                for line in prepared.diff.lines { log("  " + line) }
                if request.strictEnvironment {
                    log("refusing to reproduce (--strict-env); try --env venv to rebuild the recorded packages")
                    return .refused
                }
                log("running anyway: metric differences may come from these packages")
            }
            environment = prepared
        } else if request.environment == .venv || request.strictEnvironment {
            log("run \(request.runId) recorded no Python environment; running in the current one")
        }

        // 4. Re-run with the same params and seed.
        var spec = LaunchSpec(
            experimentId: original.info.experimentId, runName: original.info.runName + "-repro",
            params: experimentParams, dataPaths: dataPaths, seed: tags[RunLauncher.Tags.seed],
            command: environment?.command ?? command, directory: directory,
            tags: [
                KeyValue(RunLauncher.Tags.reproducedFrom, request.runId),
                KeyValue(RunLauncher.Tags.reproduceEnv, environment?.mode.rawValue ?? "current"),
            ])
        spec.environment = environment?.environment ?? [:]
        spec.python = environment?.python
        let result = try await RunLauncher(client: client, version: version).launch(
            spec, source: SourceSnapshot.capture(in: directory), log: log)
        keepCheckout = request.workdir != nil
        if let diff = environment?.diff, !diff.isEmpty {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "cairn-env-diff-\(UUID().uuidString).txt")
            try Data((diff.lines.joined(separator: "\n") + "\n").utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let reproducedRun = try await client.run(id: result.runId)
            try await client.uploadArtifact(
                runArtifactUri: reproducedRun.info.artifactUri, localFile: file.path,
                artifactPath: RunLauncher.Artifacts.environmentDiff)
        }

        let reproduced = try await client.run(id: result.runId)
        let diffs = MetricComparison.compare(
            original: original.metrics, reproduced: reproduced.metrics, tolerance: request.tolerance)
        let verdict = ReproductionVerdict.line(
            codeRebuilt: rebuilt != nil, dataChanged: dataChanged, environment: environment?.diff, metrics: diffs)
        return .ran(ReproduceReport(result: result, metrics: diffs, verdict: verdict))
    }

    /// The location and per-file digests a `cairn run` recorded for a local dataset.
    public static func recordedData(_ input: DatasetInput) -> RecordedData? {
        guard input.dataset.sourceType == "local", let source = try? JSONParser.parse(input.dataset.source),
            let path = source["path"]?.text
        else { return nil }
        let files = (try? JSONParser.parse(input.dataset.profile ?? "{}"))?["files"]?.objectValue ?? [:]
        return RecordedData(path: path, files: files.compactMapValues(\.text))
    }
}

/// What to reproduce and how.
public struct ReproduceRequest: Sendable {
    public var runId: String
    /// Relative tolerance for comparing metrics.
    public var tolerance = 1e-9
    /// Folder to rebuild the source in (kept); a temporary folder (removed) when nil.
    public var workdir: String?
    /// Run even if a dataset changed.
    public var allowDataChange = false
    /// Where recorded datasets are now, when they moved.
    public var data: [String] = []
    /// Which Python environment to run in.
    public var environment: EnvironmentReproduction.Mode = .current
    /// Refuse when the environment differs from the record.
    public var strictEnvironment = false
    /// Wheel folders pip may install recorded packages from.
    public var findLinks: [String] = []
    /// Where built environments are cached.
    public var environmentCache = Reproducer.defaultEnvironmentCache

    public init(runId: String) { self.runId = runId }
}

/// How a reproduction ended.
public enum ReproduceOutcome: Sendable {
    /// Refused before running (data changed or missing, or the environment differed under --strict-env).
    case refused
    /// The run was re-run.
    case ran(ReproduceReport)
}

/// A finished reproduction.
public struct ReproduceReport: Sendable {
    public var result: LaunchResult
    /// Every metric of either run, compared.
    public var metrics: [MetricDifference]
    /// One line: what matched and how the metrics compare.
    public var verdict: String
}

extension Reproducer {
    /// Where `--env venv` keeps environments: `$XDG_CACHE_HOME/cairn/envs`, else `~/.cache/cairn/envs`.
    public static var defaultEnvironmentCache: String { CacheFolder.path("envs") }
}
