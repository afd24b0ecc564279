import ArgumentParser
import CairnCore
import CairnServing
import CairnServingCore
import Foundation

/// `cairn rollout`: reads what a rollout did.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Inspect rollouts recorded in a scoring server's prediction log.",
        subcommands: [RolloutReportCommand.self])
}

/// `cairn rollout report --prediction-log DIR`.
struct RolloutReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Requests, error rate and latency per model version and role, and shadow/canary agreement.",
        discussion: """
            Agreement compares a shadow's prediction with the primary's on the same request and row, and a \
            canary's with the primary's on identical inputs: the share of identical labels for classifiers, \
            the mean absolute difference for regressors. Promote a candidate by moving the alias the server \
            watches: cairn models alias NAME champion VERSION.

            Example:
              cairn rollout report --prediction-log ./predictions
            """)

    @Option(help: ArgumentHelp("The folder given to cairn serve --prediction-log.", valueName: "dir"))
    var predictionLog: String

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: predictionLog, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("No prediction log folder at '\(predictionLog)'.")
        }
    }

    func run() async throws {
        let (report, skipped) = try PredictionLogReader.report(directory: predictionLog)
        let rows = report.rows
        if json {
            var w = JSONWriter()
            w.object { w in
                w.key("rows")
                w.array { w in
                    for r in rows {
                        w.object { w in
                            w.field("model", r.model)
                            w.field("version", r.version)
                            w.field("role", r.role.rawValue)
                            w.field("requests", Int64(r.requests))
                            w.field("rows", Int64(r.rows))
                            w.field("error_rate", r.errorRate)
                            w.field("latency_p50_ms", r.p50Millis)
                            w.field("latency_p99_ms", r.p99Millis)
                            w.field("compared", Int64(r.compared))
                            if let a = r.agreement { w.field("agreement", a) }
                            if let d = r.meanAbsoluteDifference { w.field("mean_abs_diff", d) }
                        }
                    }
                }
                w.field("skipped_lines", Int64(skipped))
            }
            printJSON(w.bytes)
            return
        }
        guard !rows.isEmpty else {
            print("No prediction records in \(predictionLog).")
            return
        }
        var table = TextTable(
            header: ["MODEL", "VERSION", "ROLE", "REQUESTS", "ERRORS", "P50 MS", "P99 MS", "COMPARED", "AGREEMENT"])
        for r in rows {
            let agreement =
                r.agreement.map { String(format: "%.1f %% same label", $0 * 100) }
                ?? r.meanAbsoluteDifference.map { String(format: "mean |diff| %.4g", $0) } ?? "-"
            table.rows.append([
                r.model, r.version, r.role.rawValue, String(r.requests), String(format: "%.1f %%", r.errorRate * 100),
                String(format: "%.1f", r.p50Millis), String(format: "%.1f", r.p99Millis),
                r.role == .primary ? "-" : String(r.compared), r.role == .primary ? "-" : agreement,
            ])
        }
        print(table.render())
        if skipped > 0 { print("(\(skipped) unreadable lines skipped)") }
    }
}
