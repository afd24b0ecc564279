import CairnClient
import CairnCore
import Foundation

/// Everything needed to launch one tracked run.
public struct LaunchSpec: Sendable {
    public var experimentId: String
    public var runName: String?
    public var params: [KeyValue]
    public var dataPaths: [String]
    public var seed: String?
    /// The command with `{key}` placeholders.
    public var command: [String]
    public var directory: String
    /// Extra run tags (parent run, sweep id, reproduction origin, ...).
    public var tags: [KeyValue]
    /// Stream the child's output to this terminal (off for parallel sweep trials).
    public var echo: Bool
    /// The Python interpreter whose environment is recorded (and whose folder goes first on `PATH`).
    public var python: String?
    /// Extra environment variables for the command (e.g. a reproduction's `PATH`).
    public var environment: [String: String] = [:]

    /// Creates a launch description.
    public init(
        experimentId: String, runName: String? = nil, params: [KeyValue] = [], dataPaths: [String] = [],
        seed: String? = nil, command: [String], directory: String, tags: [KeyValue] = [], echo: Bool = true
    ) {
        self.experimentId = experimentId
        self.runName = runName
        self.params = params
        self.dataPaths = dataPaths
        self.seed = seed
        self.command = command
        self.directory = directory
        self.tags = tags
        self.echo = echo
    }
}

/// The result of a launched run.
public struct LaunchResult: Sendable {
    public var runId: String
    public var status: RunStatus
    public var outcome: ProcessOutcome

    /// The exit code `cairn run` should return.
    public var exitCode: Int32 { outcome.signaled ? 128 + outcome.code : outcome.code }
}

/// Creates a run that records the code, environment, data, parameters and seed, runs the
/// command inside it, and records its output and exit status.
public struct RunLauncher: Sendable {
    let client: TrackingClient
    /// Where run tags say the run came from, e.g. `cairn 0.1.0`.
    let version: String

    /// Creates a launcher.
    public init(client: TrackingClient, version: String) {
        self.client = client
        self.version = version
    }

    /// Artifact paths used by runs and read back by `cairn reproduce`.
    public enum Artifacts {
        public static let diff = "cairn/source/diff.patch"
        public static let untracked = "cairn/source/untracked"
        public static let requirements = "cairn/env/requirements.txt"
        public static let projectFiles = "cairn/env/project"
        public static let environmentDiff = "cairn/reproduce/environment-diff.txt"
        public static let stdout = "cairn/logs/stdout.txt"
        public static let stderr = "cairn/logs/stderr.txt"
    }

    /// Tag keys Cairn writes on runs.
    public enum Tags {
        public static let command = "cairn.command"
        public static let workdir = "cairn.workdir"
        public static let gitRoot = "cairn.git.root"
        public static let gitSubdir = "cairn.git.subdir"
        public static let dirty = "cairn.source.dirty"
        public static let seed = "cairn.seed"
        public static let os = "cairn.env.os"
        public static let cpu = "cairn.env.cpu"
        public static let cairnVersion = "cairn.version"
        public static let python = "cairn.env.python"
        public static let pip = "cairn.env.pip"
        public static let platform = "cairn.env.platform"
        public static let reproduceEnv = "cairn.reproduce.env"
        public static let exitCode = "cairn.exit_code"
        public static let duration = "cairn.duration_s"
        public static let reproducedFrom = "cairn.reproducedFrom"
    }

    /// Captures everything, runs the command and closes the run; `source` may be captured once
    /// by the caller and shared by many trials.
    ///
    /// `environment` may likewise be captured once (``captureEnvironment(for:)``) for many trials.
    public func launch(
        _ spec: LaunchSpec, source: SourceSnapshot?, environment captured: EnvironmentCapture? = nil,
        log: @Sendable (String) -> Void
    ) async throws -> LaunchResult {
        var params = spec.params
        if let seed = spec.seed, !params.contains(where: { $0.key == "seed" }) {
            params.append(KeyValue("seed", seed))
        }
        let missing = SweepPlan.unfilledPlaceholders(in: spec.command, keys: Set(params.map(\.key)))
        if !missing.isEmpty {
            throw RunnerError(
                "The command uses " + missing.map { "{\($0)}" }.joined(separator: ", ")
                    + " but no --param gives a value for it.")
        }
        let command = SweepPlan.fill(spec.command, with: params)
        var environment = ProcessInfo.processInfo.environment
        if let problem = LaunchCheck.problem(with: command, in: spec.directory, environment: environment) {
            throw RunnerError(problem)
        }
        for p in spec.params {
            let name = p.key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            environment["CAIRN_PARAM_" + String(name)] = p.value
        }
        if let seed = spec.seed { environment["CAIRN_SEED"] = seed }
        let env =
            captured
            ?? EnvironmentCapture.capture(
                command: command, directory: spec.directory, environment: environment, python: spec.python)
        let digests = try spec.dataPaths.map { path in
            try DataDigest.compute(path: path.hasPrefix("/") ? path : spec.directory + "/" + path)
        }

        var tags: [KeyValue] = [
            KeyValue("mlflow.user", environment["USER"] ?? environment["LOGNAME"] ?? "unknown"),
            KeyValue("mlflow.source.name", Self.shellJoin(command)),
            KeyValue("mlflow.source.type", "LOCAL"),
            KeyValue(Tags.command, Self.jsonArray(command)),
            KeyValue(Tags.workdir, spec.directory),
            KeyValue(Tags.os, env.os),
            KeyValue(Tags.cpu, env.cpu),
            KeyValue(Tags.cairnVersion, version),
        ]
        if let seed = spec.seed { tags.append(KeyValue(Tags.seed, seed)) }
        if let v = env.pythonVersion { tags.append(KeyValue(Tags.python, "\(env.pythonExecutable ?? "python") \(v)")) }
        if let v = env.pipVersion { tags.append(KeyValue(Tags.pip, v)) }
        if let v = env.platform { tags.append(KeyValue(Tags.platform, v)) }
        if let source {
            tags.append(KeyValue("mlflow.source.git.commit", source.commit))
            if let b = source.branch { tags.append(KeyValue("mlflow.source.git.branch", b)) }
            if let r = source.remote { tags.append(KeyValue("mlflow.source.git.repoURL", r)) }
            tags.append(KeyValue(Tags.gitRoot, source.root))
            tags.append(KeyValue(Tags.gitSubdir, Self.relative(spec.directory, to: source.root)))
            tags.append(KeyValue(Tags.dirty, source.isDirty ? "true" : "false"))
        }
        tags += spec.tags
        let run = try await client.createRun(
            experimentId: spec.experimentId, name: spec.runName, userId: environment["USER"] ?? "",
            startTime: WallClock.nowMillis(), tags: tags)
        let runId = run.info.runId
        let artifactUri = run.info.artifactUri
        log("Run \(runId) (\(run.info.runName)) in experiment \(spec.experimentId)")

        try await client.logBatch(runId: runId, params: params)
        if !digests.isEmpty {
            try await client.logInputs(runId: runId, datasets: digests.map(Self.datasetInput))
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-run-\(runId)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        if let source {
            if !source.diff.isEmpty {
                let file = scratch + "/diff.patch"
                try source.diff.write(to: URL(fileURLWithPath: file))
                try await client.uploadArtifact(
                    runArtifactUri: artifactUri, localFile: file, artifactPath: Artifacts.diff)
            }
            for path in source.untracked {
                try await client.uploadArtifact(
                    runArtifactUri: artifactUri, localFile: source.root + "/" + path,
                    artifactPath: Artifacts.untracked + "/" + path)
            }
            if !source.skippedUntracked.isEmpty {
                log("Not recorded (over 10 MB, untracked): " + source.skippedUntracked.joined(separator: ", "))
            }
        }
        if let freeze = env.pipFreeze {
            let file = scratch + "/requirements.txt"
            try Data(freeze.utf8).write(to: URL(fileURLWithPath: file))
            try await client.uploadArtifact(
                runArtifactUri: artifactUri, localFile: file, artifactPath: Artifacts.requirements)
        }

        if env.pythonExecutable != nil {
            for name in EnvironmentCapture.projectFiles(in: spec.directory) {
                try await client.uploadArtifact(
                    runArtifactUri: artifactUri, localFile: spec.directory + "/" + name,
                    artifactPath: Artifacts.projectFiles + "/" + name)
            }
        }

        environment["MLFLOW_TRACKING_URI"] = client.baseURL
        environment["MLFLOW_RUN_ID"] = runId
        environment["MLFLOW_EXPERIMENT_ID"] = spec.experimentId
        environment.removeValue(forKey: "MLFLOW_EXPERIMENT_NAME")
        let outcome: ProcessOutcome
        do {
            outcome = try await ProcessRunner.run(
                command, in: spec.directory, environment: environment, stdoutFile: scratch + "/stdout.txt",
                stderrFile: scratch + "/stderr.txt", echo: spec.echo)
        } catch {
            try? await client.finishRun(id: runId, status: .failed, endTime: WallClock.nowMillis())
            throw error
        }
        let status: RunStatus =
            outcome.interrupted || outcome.signaled ? .killed : (outcome.code == 0 ? .finished : .failed)
        try await client.uploadArtifact(
            runArtifactUri: artifactUri, localFile: scratch + "/stdout.txt", artifactPath: Artifacts.stdout)
        try await client.uploadArtifact(
            runArtifactUri: artifactUri, localFile: scratch + "/stderr.txt", artifactPath: Artifacts.stderr)
        try await client.logBatch(
            runId: runId,
            tags: [
                KeyValue(Tags.exitCode, outcome.signaled ? "signal \(outcome.code)" : String(outcome.code)),
                KeyValue(Tags.duration, String(format: "%.3f", outcome.seconds)),
            ])
        try await client.finishRun(id: runId, status: status, endTime: WallClock.nowMillis())
        return LaunchResult(runId: runId, status: status, outcome: outcome)
    }

    /// Captures the environment a spec's command will run in (OS, CPU, Python, pip freeze).
    public static func captureEnvironment(for spec: LaunchSpec) -> EnvironmentCapture {
        EnvironmentCapture.capture(
            command: spec.command, directory: spec.directory, environment: ProcessInfo.processInfo.environment)
    }

    /// The dataset input recorded for a digest: a short digest for display, the full SHA-256 and
    /// per-file hashes in the source and profile so `cairn reproduce` can name changed files.
    static func datasetInput(_ d: DataDigest) -> DatasetInput {
        var source = JSONWriter()
        source.object { w in
            w.field("path", d.path)
            w.field("sha256", d.sha256)
        }
        var profile = JSONWriter()
        profile.object { w in
            w.field("bytes", d.bytes)
            w.field("sha256", d.sha256)
            w.key("files")
            w.object { w in
                for (k, v) in d.files.sorted(by: { $0.key < $1.key }) { w.field(k, v) }
            }
        }
        return DatasetInput(
            tags: [KeyValue("mlflow.data.context", "cairn.data")],
            dataset: Dataset(
                name: (d.path as NSString).lastPathComponent, digest: String(d.sha256.prefix(32)), sourceType: "local",
                source: String(decoding: source.bytes, as: UTF8.self), schema: nil,
                profile: String(decoding: profile.bytes, as: UTF8.self)))
    }

    /// A command line a POSIX shell would read back as the same arguments.
    public static func shellJoin(_ args: [String]) -> String {
        args.map { a in
            let safe = a.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0) }
            return safe && !a.isEmpty ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    static func jsonArray(_ items: [String]) -> String {
        var w = JSONWriter()
        w.array { w in
            for i in items { w.value(i) }
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func relative(_ path: String, to root: String) -> String {
        let p = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let r = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        if p == r { return "." }
        return p.hasPrefix(r + "/") ? String(p.dropFirst(r.count + 1)) : "."
    }
}
