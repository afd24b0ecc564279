import ArgumentParser
import CairnClient
import CairnCore
import CairnRunner
import CairnServer
import Crypto
import Foundation

/// `cairn sweep`: a grid or random parameter sweep as a parent run with one child per trial.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a parameter sweep: one child run per trial under a parent run, resumable.",
        discussion: """
            Grid: --grid lr=0.1,0.01 --grid depth=3,5 (Cartesian product). Random: --random 20 \
            --space lr=loguniform:1e-4:1e-1 --space depth=int:2:8 --space opt=choice:adam,sgd --seed 1. \
            {key} placeholders in the command are filled per trial. Re-running the same sweep skips trials \
            that already FINISHED. Exits 1 only when more than --max-failures trials failed.

            Example: cairn sweep --experiment mnist --grid lr=0.1,0.01 --parallel 2 --metric acc --max -- python train.py --lr {lr}
            """)

    @OptionGroup var client: ClientOptions

    @Option(help: "Experiment name (created if missing; default: Default).")
    var experiment: String?

    @Option(help: "Sweep (parent run) name.")
    var name: String?

    @Option(help: ArgumentHelp("A grid axis key=v1,v2,... (repeatable).", valueName: "k=v,..."))
    var grid: [String] = []

    @Option(help: "Number of random trials (use with --space).")
    var random: Int?

    @Option(
        help: ArgumentHelp("A random dimension k=uniform:a:b|loguniform:a:b|int:a:b|choice:x,y.", valueName: "k=spec"))
    var space: [String] = []

    @Option(help: "Seed for random draws; also passed to every trial as CAIRN_SEED.")
    var seed: UInt64 = 0

    @Option(help: "Trials to run at once.")
    var parallel = 1

    @Option(help: "Stop launching trials after this many failures.")
    var maxFailures: Int?

    @Option(help: "Metric to rank trials by.")
    var metric: String?

    @Flag(help: "Higher metric is better.")
    var max = false

    @Flag(help: "Lower metric is better (default).")
    var min = false

    @Option(
        name: .customLong("data"),
        help: ArgumentHelp("A data file or folder to digest (repeatable).", valueName: "path"))
    var data: [String] = []

    @Argument(parsing: .postTerminator, help: "The command to run for each trial, after --.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("Give the command to run after --.") }
        guard grid.isEmpty != (random == nil) else {
            throw ValidationError("Use either --grid (one or more) or --random N with --space.")
        }
        if let random, random <= 0 || space.isEmpty {
            throw ValidationError("--random needs a positive count and at least one --space.")
        }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1.") }
        if max && min { throw ValidationError("Use --max or --min, not both.") }
        if let maxFailures, maxFailures < 0 { throw ValidationError("--max-failures must be 0 or more.") }
        let keys = try trials().first.map { Set($0.map(\.key)) } ?? []
        try checkLaunchable(command, keys: keys.union(["seed"]))
    }

    /// The trials' parameters, in launch order.
    func trials() throws -> [[KeyValue]] {
        do {
            if let random {
                var dims: [(key: String, dimension: SearchDimension)] = []
                for s in space {
                    guard let eq = s.firstIndex(of: "="), eq != s.startIndex else {
                        throw ValidationError("--space expects key=spec, got '\(s)'.")
                    }
                    dims.append((String(s[..<eq]), try SearchDimension(parsing: String(s[s.index(after: eq)...]))))
                }
                return SweepPlan.random(dims, count: random, seed: seed)
            }
            var axes: [(key: String, values: [String])] = []
            for g in grid { axes.append(try SweepPlan.gridAxis(g)) }
            return SweepPlan.grid(axes)
        } catch let e as MlflowError {
            throw ValidationError(e.message)
        }
    }

    static func trialKey(_ params: [KeyValue]) -> String {
        params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
    }

    func run() async throws {
        var failed = false
        try await reportingErrors {
            let tracking = try client.client()
            let experimentId = try await tracking.experimentId(named: experiment ?? "Default")
            let plan = try trials()
            let directory = FileManager.default.currentDirectoryPath
            let source = SourceSnapshot.capture(in: directory)
            let ascending = !max
            let spec = ([experimentId, String(seed)] + command + plan.map(Self.trialKey)).joined(separator: "\u{1E}")
            let sweepId = SHA256.hash(data: Data(spec.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()

            // Resume: reuse the parent of an identical sweep and skip its finished trials.
            let existing = try await tracking.searchRuns(
                experimentIds: [experimentId],
                filter: "tags.`cairn.sweep.id` = '\(sweepId)' and tags.`cairn.sweep.role` = 'parent'")
            let parentId: String
            var done = Set<String>()
            if let parent = existing.first {
                parentId = parent.info.runId
                let children = try await tracking.searchRuns(
                    experimentIds: [experimentId], filter: "tags.`mlflow.parentRunId` = '\(parentId)'")
                for c in children where c.info.status == .finished {
                    done.insert(Self.trialKey(c.params.filter { $0.key != "seed" }))
                }
                note(
                    "resuming sweep \(sweepId) (parent run \(parentId)): \(done.count) of \(plan.count) trials already finished"
                )
            } else {
                var tags = [
                    KeyValue("cairn.sweep.id", sweepId), KeyValue("cairn.sweep.role", "parent"),
                    KeyValue("cairn.sweep.trials", String(plan.count)),
                    KeyValue("mlflow.source.name", RunLauncher.shellJoin(command)),
                ]
                if let metric { tags.append(KeyValue("cairn.sweep.metric", "\(metric) \(ascending ? "min" : "max")")) }
                if let commit = source?.commit { tags.append(KeyValue("mlflow.source.git.commit", commit)) }
                let parent = try await tracking.createRun(
                    experimentId: experimentId, name: name, userId: ProcessInfo.processInfo.environment["USER"] ?? "",
                    startTime: Int64(Date().timeIntervalSince1970 * 1000), tags: tags)
                parentId = parent.info.runId
                note("sweep \(sweepId): parent run \(parentId), \(plan.count) trials")
            }
            let pending = plan.enumerated().filter { !done.contains(Self.trialKey($0.element)) }
            let progress = SweepProgress(
                total: plan.count, alreadyDone: plan.count - pending.count, metric: metric, ascending: ascending)
            let launcher = RunLauncher(client: tracking, version: cairnVersion)
            let environment = RunLauncher.captureEnvironment(
                for: LaunchSpec(experimentId: experimentId, command: command, directory: directory))
            let maxFailures = self.maxFailures
            let seed = self.seed
            let dataPaths = data
            let command = self.command
            await withTaskGroup(of: Void.self) { group in
                var iterator = pending.makeIterator()
                func startNext() -> Bool {
                    guard let (index, params) = iterator.next() else { return false }
                    if let maxFailures, progress.failures > maxFailures { return false }
                    group.addTask {
                        progress.started()
                        do {
                            let result = try await launcher.launch(
                                LaunchSpec(
                                    experimentId: experimentId, runName: nil, params: params, dataPaths: dataPaths,
                                    seed: String(seed), command: command, directory: directory,
                                    tags: [
                                        KeyValue("mlflow.parentRunId", parentId), KeyValue("cairn.sweep.id", sweepId),
                                        KeyValue("cairn.sweep.trial", String(index)),
                                    ], echo: false),
                                source: source, environment: environment, log: { _ in })
                            let value: Double? =
                                if let metric {
                                    try? await tracking.run(id: result.runId).metrics.first { $0.key == metric }?.value
                                } else { nil }
                            progress.finished(runId: result.runId, ok: result.status == .finished, value: value)
                        } catch {
                            progress.finished(runId: nil, ok: false, value: nil)
                            note("trial \(index) could not run: \(error)")
                        }
                    }
                    return true
                }
                for _ in 0..<parallel where startNext() {}
                for await _ in group { _ = startNext() }
            }
            progress.endLine()
            failed = maxFailures.map { progress.failures > $0 } ?? false
            try await tracking.finishRun(
                id: parentId, status: failed ? .failed : .finished, endTime: Int64(Date().timeIntervalSince1970 * 1000))
            try await printSummary(tracking, experimentId: experimentId, parentId: parentId, ascending: ascending)
            if failed { note("stopped: more than \(maxFailures ?? 0) trials failed") }
        }
        if failed { throw ExitCode.failure }
    }

    func printSummary(_ tracking: TrackingClient, experimentId: String, parentId: String, ascending: Bool) async throws
    {
        let order = metric.map { ["metrics.`\($0)` \(ascending ? "ASC" : "DESC")"] } ?? []
        let children = try await tracking.searchRuns(
            experimentIds: [experimentId], filter: "tags.`mlflow.parentRunId` = '\(parentId)'", orderBy: order)
        let keys = Array(Set(children.flatMap { $0.params.map(\.key) }).subtracting(["seed"])).sorted()
        var table = TextTable(header: ["RUN", "STATUS"] + keys + (metric.map { [$0] } ?? []))
        for c in children {
            let params = Dictionary(c.params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            let value = metric.flatMap { m in c.metrics.first { $0.key == m }.map { String($0.value) } } ?? "-"
            table.rows.append(
                [String(c.info.runId.prefix(12)), c.info.status.rawValue] + keys.map { params[$0] ?? "-" }
                    + (metric == nil ? [] : [value]))
        }
        print(table.render())
    }
}

/// The live progress line of a sweep.
final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var done: Int
    private var running = 0
    private(set) var failuresCount = 0
    private let metric: String?
    private let ascending: Bool
    private var best: (value: Double, runId: String)?

    init(total: Int, alreadyDone: Int, metric: String?, ascending: Bool) {
        self.total = total
        self.done = alreadyDone
        self.metric = metric
        self.ascending = ascending
        draw()
    }

    var failures: Int {
        lock.lock()
        defer { lock.unlock() }
        return failuresCount
    }

    func started() {
        lock.lock()
        running += 1
        lock.unlock()
        draw()
    }

    func finished(runId: String?, ok: Bool, value: Double?) {
        lock.lock()
        running -= 1
        if ok { done += 1 } else { failuresCount += 1 }
        if ok, let value, !value.isNaN, let runId {
            if best == nil || (ascending ? value < best!.value : value > best!.value) { best = (value, runId) }
        }
        lock.unlock()
        draw()
    }

    private func draw() {
        lock.lock()
        var line = "\r[sweep] \(done)/\(total) done, \(running) running, \(failuresCount) failed"
        if let metric, let best { line += ", best \(metric)=\(best.value) (\(best.runId.prefix(8)))" }
        lock.unlock()
        FileHandle.standardError.write(Data((line + "    ").utf8))
    }

    func endLine() { FileHandle.standardError.write(Data("\n".utf8)) }
}
