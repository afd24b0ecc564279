import ArgumentParser
import CairnClient
import CairnCore
import CairnRunner
import CairnServer
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

    func run() async throws {
        var failed = false
        try await reportingErrors {
            let tracking = try client.client()
            var spec = SweepSpec(
                experimentId: try await tracking.experimentId(named: experiment ?? "Default"), name: name,
                plan: try trials(), command: command, directory: FileManager.default.currentDirectoryPath)
            spec.seed = seed
            spec.parallel = parallel
            spec.maxFailures = maxFailures
            spec.metric = metric
            spec.ascending = !max
            spec.dataPaths = data
            let line = ProgressLine(metric: metric)
            let outcome = try await SweepRunner(client: tracking, version: cairnVersion).run(
                spec, events: SweepEvents(progress: line.draw, note: note))
            line.end()
            printSummary(outcome.children)
            note("view the sweep and its trials at: \(client.runPage(outcome.parentId))")
            failed = outcome.stoppedByFailures
            if failed { note("stopped: more than \(maxFailures ?? 0) trials failed") }
        }
        if failed { throw ExitCode.failure }
    }

    /// The trials as a table, best first when ranked by a metric.
    func printSummary(_ children: [Run]) {
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

    /// The live progress line on stderr.
    struct ProgressLine: Sendable {
        let metric: String?

        func draw(_ p: SweepProgress) {
            var line = "\r[sweep] \(p.done)/\(p.total) done, \(p.running) running, \(p.failed) failed"
            if let metric, let best = p.best { line += ", best \(metric)=\(best.value) (\(best.runId.prefix(8)))" }
            Console.err((line + "    "))
        }

        func end() { Console.err("\n") }
    }
}
