import ArgumentParser
import CairnCore

/// `cairn models list`.
struct ModelsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List registered models with their latest versions and aliases.")

    @OptionGroup var options: ClientOptions

    @Option(help: ArgumentHelp("Registry search filter, e.g. \"name LIKE 'churn%'\".", valueName: "filter"))
    var filter = ""

    func run() async throws {
        try await reportingErrors {
            let models = try await options.client().searchRegisteredModels(filter: filter)
            if options.json {
                var w = JSONWriter()
                w.object { $0.field("registered_models", models) }
                printJSON(w.bytes)
                return
            }
            if models.isEmpty {
                print("No registered models.")
                return
            }
            var table = TextTable(header: ["NAME", "LATEST", "STAGES", "ALIASES", "UPDATED"])
            for m in models {
                let latest = m.latestVersions.map(\.version).max().map(String.init) ?? "-"
                let stages = m.latestVersions.filter { $0.currentStage != .none }
                    .map { "\($0.currentStage.rawValue)=v\($0.version)" }.joined(separator: " ")
                let aliases = m.aliases.map { "\($0.alias)=v\($0.version)" }.joined(separator: " ")
                table.rows.append([
                    m.name, latest, stages.isEmpty ? "-" : stages, aliases.isEmpty ? "-" : aliases,
                    formatTime(m.lastUpdatedTimestamp),
                ])
            }
            print(table.render())
        }
    }
}
