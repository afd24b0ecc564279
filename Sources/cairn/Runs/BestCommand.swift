import ArgumentParser
import CairnClient
import CairnCore
import Foundation

/// `cairn best --experiment E --metric M`: pinpoint the best run.
struct BestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "Find the best run of an experiment by a metric, optionally registering its model.",
        discussion: """
            Example: cairn best --experiment mnist --metric acc --max --filter "params.model = 'cnn'" \
            --register mnist-classifier --alias champion
            """)

    @OptionGroup var client: ClientOptions

    @Option(help: "Experiment name.")
    var experiment: String

    @Option(help: "Metric to rank by.")
    var metric: String

    @Flag(help: "Higher is better.")
    var max = false

    @Flag(help: "Lower is better (default).")
    var min = false

    @Option(help: ArgumentHelp("Extra filter in the runs search grammar.", valueName: "filter"))
    var filter: String?

    @Option(help: "Register the best run's model under this name.")
    var register: String?

    @Option(help: "Point this alias at the registered version.")
    var alias: String?

    @Option(help: "Artifact path of the model in the run (name given to log_model).")
    var modelPath = "model"

    func validate() throws {
        if max && min { throw ValidationError("Use --max or --min, not both.") }
        if alias != nil && register == nil { throw ValidationError("--alias needs --register.") }
        if let filter, !filter.isEmpty {
            do { _ = try RunFilter(parsing: filter) } catch { throw ValidationError(error.message) }
        }
        if let register {
            do { try RegistryValidation.modelName(register) } catch { throw ValidationError(error.message) }
        }
        if let alias {
            do { try RegistryValidation.alias(alias) } catch { throw ValidationError(error.message) }
        }
    }

    func run() async throws {
        try await reportingErrors {
            let tracking = try client.client()
            let json = try await tracking.call(
                .GET, "experiments/get-by-name", query: [("experiment_name", experiment)])
            guard let exp = json["experiment"].flatMap(Experiment.init(json:)) else {
                throw MlflowError.notFound("Experiment '\(experiment)' not found.")
            }
            let order = "metrics.`\(metric)` \(max ? "DESC" : "ASC")"
            let runs = try await tracking.searchRuns(
                experimentIds: [exp.experimentId], filter: filter ?? "", orderBy: [order], limit: 1)
            guard let best = runs.first, let value = best.metrics.first(where: { $0.key == metric })?.value,
                !value.isNaN
            else {
                throw MlflowError.notFound(
                    "No run in '\(experiment)' has metric '\(metric)'\(filter.map { " matching \($0)" } ?? "").")
            }
            var registered: ModelVersion?
            if let register {
                let uri: String =
                    if let output = best.modelOutputs.first { "models:/\(output.modelId)" } else {
                        "runs:/\(best.info.runId)/\(modelPath)"
                    }
                registered = try await tracking.register(modelUri: uri, name: register, alias: alias)
            }
            if client.json {
                var w = JSONWriter()
                w.object { w in
                    w.field("run", best)
                    w.field("metric", metric)
                    w.field("value", value)
                    w.field("reproduce", "cairn reproduce \(best.info.runId)")
                    w.field("url", client.runPage(best.info.runId))
                    if let registered { w.field("registered", registered) }
                }
                printJSON(w.bytes)
                return
            }
            let tags = Dictionary(best.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            var lines = [
                "Best run: \(best.info.runId) (\(best.info.runName)) \(metric)=\(value)",
                "Status:   \(best.info.status.rawValue), started \(formatTime(best.info.startTime))",
                "Commit:   \(tags["mlflow.source.git.commit"] ?? "-")\(tags["cairn.source.dirty"] == "true" ? " (+ recorded diff)" : "")",
                "Command:  \(tags["mlflow.source.name"] ?? "-")",
            ]
            if let seed = tags["cairn.seed"] { lines.append("Seed:     \(seed)") }
            lines.append(
                "Params:   "
                    + (best.params.isEmpty ? "-" : best.params.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
            lines.append(
                "Metrics:  "
                    + best.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            for d in best.datasetInputs {
                lines.append("Data:     \(d.dataset.name) digest \(d.dataset.digest)")
            }
            if let registered {
                lines.append(
                    "Registered: \(registered.name) version \(registered.version)\(alias.map { " (@\($0))" } ?? "")")
            }
            lines.append("View:      \(client.runPage(best.info.runId))")
            lines.append("Reproduce: cairn reproduce \(best.info.runId)")
            print(lines.joined(separator: "\n"))
        }
    }
}
