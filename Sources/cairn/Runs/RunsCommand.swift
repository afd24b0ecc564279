import ArgumentParser
import CairnClient
import CairnCore

/// `cairn runs`: inspect runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Inspect runs.", subcommands: [RunsCompareCommand.self])
}

/// `cairn runs compare RUN_ID RUN_ID ...`.
struct RunsCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Show params and final metrics of runs side by side; '*' marks differences.")

    @OptionGroup var client: ClientOptions

    @Argument(help: "Two or more run ids, or unique prefixes of them (the short ids shown in tables).")
    var runIds: [String]

    func validate() throws {
        guard runIds.count >= 2 else { throw ValidationError("Give at least two run ids.") }
    }

    func run() async throws {
        try await reportingErrors {
            let tracking = try client.client()
            var runs: [Run] = []
            for id in runIds { runs.append(try await tracking.run(idOrPrefix: id)) }
            if client.json {
                var w = JSONWriter()
                w.object { $0.field("runs", runs) }
                printJSON(w.bytes)
                return
            }
            let header = ["", "KEY"] + runs.map { "\($0.info.runName) (\($0.info.runId.prefix(8)))" }
            var table = TextTable(header: header)
            func section(_ title: String, _ values: [[String: String]]) {
                let keys = Set(values.flatMap(\.keys)).sorted()
                for key in keys {
                    let row = values.map { $0[key] ?? "-" }
                    let differs = Set(row).count > 1
                    table.rows.append([differs ? "*" : "", key.isEmpty ? title : "\(title).\(key)"] + row)
                }
            }
            section(
                "params", runs.map { Dictionary($0.params.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
            )
            section(
                "metrics",
                runs.map { Dictionary($0.metrics.map { ($0.key, String($0.value)) }, uniquingKeysWith: { a, _ in a }) })
            section("status", runs.map { ["": $0.info.status.rawValue] })
            print(table.render())
        }
    }
}
