import CairnClient
import CairnCore
import Crypto
import Foundation
import Synchronization

/// Runs a parameter sweep as a parent run with one child run per trial: resumable (a sweep with the
/// same experiment, seed, command and trials reuses its parent and skips finished trials), parallel,
/// and stopped after too many failures.
///
/// ```swift
/// let plan = SweepPlan.grid([("lr", ["0.1", "0.01"])])
/// let outcome = try await SweepRunner(client: client, version: "0.1.0").run(
///     SweepSpec(experimentId: "1", plan: plan, command: ["python", "train.py", "--lr", "{lr}"], directory: "."),
///     events: SweepEvents(note: { print($0) }))
/// ```
public struct SweepRunner: Sendable {
    let client: TrackingClient
    let version: String

    public init(client: TrackingClient, version: String) {
        self.client = client
        self.version = version
    }

    /// Tag keys of sweeps.
    public enum Tags {
        public static let id = "cairn.sweep.id"
        public static let role = "cairn.sweep.role"
        public static let trials = "cairn.sweep.trials"
        public static let metric = "cairn.sweep.metric"
        public static let trial = "cairn.sweep.trial"
        public static let parentRun = "mlflow.parentRunId"
    }

    /// The id of a sweep: the same for the same experiment, seed, command and trials.
    public static func sweepId(_ spec: SweepSpec) -> String {
        let text = ([spec.experimentId, String(spec.seed)] + spec.command + spec.plan.map(trialKey))
            .joined(separator: "\u{1E}")
        return SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Identifies a trial by its parameters, whatever their order.
    public static func trialKey(_ params: [KeyValue]) -> String {
        params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
    }

    /// Runs the trials that have not finished yet and closes the parent run.
    public func run(_ spec: SweepSpec, events: SweepEvents) async throws -> SweepOutcome {
        let sweepId = Self.sweepId(spec)
        let source = SourceSnapshot.capture(in: spec.directory)
        let existing = try await client.searchRuns(
            experimentIds: [spec.experimentId],
            filter: RunFilter.tags([(Tags.id, sweepId), (Tags.role, "parent")]).text)
        let parentId: String
        var done = Set<String>()
        if let parent = existing.first {
            parentId = parent.info.runId
            let children = try await client.searchRuns(
                experimentIds: [spec.experimentId], filter: RunFilter.tags([(Tags.parentRun, parentId)]).text)
            for c in children where c.info.status == .finished {
                done.insert(Self.trialKey(c.params.filter { $0.key != "seed" }))
            }
            events.note(
                "resuming sweep \(sweepId) (parent run \(parentId)): \(done.count) of \(spec.plan.count) trials already finished"
            )
        } else {
            var tags = [
                KeyValue(Tags.id, sweepId), KeyValue(Tags.role, "parent"),
                KeyValue(Tags.trials, String(spec.plan.count)),
                KeyValue("mlflow.source.name", RunLauncher.shellJoin(spec.command)),
            ]
            if let metric = spec.metric {
                tags.append(KeyValue(Tags.metric, "\(metric) \(spec.ascending ? "min" : "max")"))
            }
            if let commit = source?.commit { tags.append(KeyValue("mlflow.source.git.commit", commit)) }
            let parent = try await client.createRun(
                experimentId: spec.experimentId, name: spec.name,
                userId: ProcessInfo.processInfo.environment["USER"] ?? "",
                startTime: WallClock.nowMillis(), tags: tags)
            parentId = parent.info.runId
            events.note("sweep \(sweepId): parent run \(parentId), \(spec.plan.count) trials")
        }
        let pending = spec.plan.enumerated().filter { !done.contains(Self.trialKey($0.element)) }
        let tally = SweepTally(total: spec.plan.count, done: spec.plan.count - pending.count)
        events.progress(tally.snapshot)
        let launcher = RunLauncher(client: client, version: version)
        let environment = RunLauncher.captureEnvironment(
            for: LaunchSpec(experimentId: spec.experimentId, command: spec.command, directory: spec.directory))
        let client = client
        await withTaskGroup(of: Void.self) { group in
            var iterator = pending.makeIterator()
            func startNext() -> Bool {
                guard let (index, params) = iterator.next() else { return false }
                if let maxFailures = spec.maxFailures, tally.snapshot.failed > maxFailures { return false }
                group.addTask {
                    events.progress(tally.started())
                    do {
                        let result = try await launcher.launch(
                            LaunchSpec(
                                experimentId: spec.experimentId, runName: nil, params: params,
                                dataPaths: spec.dataPaths, seed: String(spec.seed), command: spec.command,
                                directory: spec.directory,
                                tags: [
                                    KeyValue(Tags.parentRun, parentId), KeyValue(Tags.id, sweepId),
                                    KeyValue(Tags.trial, String(index)),
                                ], echo: false),
                            source: source, environment: environment, log: { _ in })
                        let value: Double? =
                            if let metric = spec.metric {
                                try? await client.run(id: result.runId).metrics.first { $0.key == metric }?.value
                            } else { nil }
                        events.progress(
                            tally.finished(
                                runId: result.runId, ok: result.status == .finished, value: value,
                                ascending: spec.ascending))
                    } catch {
                        events.progress(tally.finished(runId: nil, ok: false, value: nil, ascending: spec.ascending))
                        events.note("trial \(index) could not run: \(error)")
                    }
                }
                return true
            }
            for _ in 0..<spec.parallel where startNext() {}
            for await _ in group { _ = startNext() }
        }
        let final = tally.snapshot
        let failed = spec.maxFailures.map { final.failed > $0 } ?? false
        try await client.finishRun(
            id: parentId, status: failed ? .failed : .finished, endTime: WallClock.nowMillis())
        let order = spec.metric.map { ["metrics.`\($0)` \(spec.ascending ? "ASC" : "DESC")"] } ?? []
        let children = try await client.searchRuns(
            experimentIds: [spec.experimentId], filter: RunFilter.tags([(Tags.parentRun, parentId)]).text,
            orderBy: order)
        return SweepOutcome(sweepId: sweepId, parentId: parentId, stoppedByFailures: failed, children: children)
    }
}

/// What a sweep runs.
public struct SweepSpec: Sendable {
    public var experimentId: String
    public var name: String?
    /// The trials' parameters, in launch order.
    public var plan: [[KeyValue]]
    public var seed: UInt64 = 0
    public var parallel = 1
    public var maxFailures: Int?
    public var metric: String?
    /// Lower metric is better.
    public var ascending = true
    public var dataPaths: [String] = []
    public var command: [String]
    public var directory: String

    public init(experimentId: String, name: String? = nil, plan: [[KeyValue]], command: [String], directory: String) {
        self.experimentId = experimentId
        self.name = name
        self.plan = plan
        self.command = command
        self.directory = directory
    }
}

/// How a sweep ended.
public struct SweepOutcome: Sendable {
    public var sweepId: String
    public var parentId: String
    /// More than `maxFailures` trials failed.
    public var stoppedByFailures: Bool
    /// The child runs, best first when a metric was given.
    public var children: [Run]
}

/// Progress of a sweep, as reported after each change.
public struct SweepProgress: Sendable, Equatable {
    public var total: Int
    public var done: Int
    public var running = 0
    public var failed = 0
    public var best: (value: Double, runId: String)?

    public static func == (a: SweepProgress, b: SweepProgress) -> Bool {
        a.total == b.total && a.done == b.done && a.running == b.running && a.failed == b.failed
            && a.best?.value == b.best?.value && a.best?.runId == b.best?.runId
    }
}

/// Where a sweep reports progress and remarks.
public struct SweepEvents: Sendable {
    public var progress: @Sendable (SweepProgress) -> Void
    public var note: @Sendable (String) -> Void

    public init(
        progress: @escaping @Sendable (SweepProgress) -> Void = { _ in },
        note: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.progress = progress
        self.note = note
    }
}

/// The counts trials update concurrently.
final class SweepTally: Sendable {
    private let state: Mutex<SweepProgress>

    init(total: Int, done: Int) { state = Mutex(SweepProgress(total: total, done: done)) }

    var snapshot: SweepProgress { state.withLock { $0 } }

    func started() -> SweepProgress {
        state.withLock { s in
            s.running += 1
            return s
        }
    }

    func finished(runId: String?, ok: Bool, value: Double?, ascending: Bool) -> SweepProgress {
        state.withLock { s in
            s.running -= 1
            if ok { s.done += 1 } else { s.failed += 1 }
            if ok, let value, !value.isNaN, let runId {
                if s.best == nil || (ascending ? value < s.best!.value : value > s.best!.value) {
                    s.best = (value, runId)
                }
            }
            return s
        }
    }
}
