import ArgumentParser
import CairnClient
import CairnCore
import Foundation

/// `cairn models show NAME`: versions, aliases, stages and lineage back to runs and commits.
struct ModelsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a registered model: versions, aliases, stages, and each version's run, metrics and commit.")

    @OptionGroup var options: ClientOptions

    @Argument(help: "Registered model name.")
    var name: String

    /// One version with the run it came from.
    struct Lineage {
        var version: ModelVersion
        var run: Run?
    }

    func run() async throws {
        try await reportingErrors {
            let client = try options.client()
            let model = try await client.registeredModel(name: name)
            let filter = "name = '\(name.replacingOccurrences(of: "'", with: "\\'"))'"
            let versions = try await client.searchModelVersions(filter: filter)
            var lineage: [Lineage] = []
            for v in versions {
                let run: Run? = if let id = v.runId { try? await client.run(id: id) } else { nil }
                lineage.append(Lineage(version: v, run: run))
            }
            if options.json {
                printJSON(json(model, lineage))
            } else {
                print(text(model, lineage))
            }
        }
    }

    static func commit(_ run: Run?) -> String? {
        run?.tags.first { $0.key == "mlflow.source.git.commit" }?.value
    }

    func json(_ model: RegisteredModel, _ lineage: [Lineage]) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            w.field("registered_model", model)
            w.key("versions")
            w.array { w in
                for l in lineage {
                    w.object { w in
                        w.field("model_version", l.version)
                        if let image = Self.image(l.version) {
                            w.key("image")
                            w.object { w in
                                w.field("ref", image.ref)
                                w.field("digest", image.digest)
                            }
                        }
                        if let run = l.run {
                            w.key("run")
                            w.object { w in
                                w.field("run_id", run.info.runId)
                                w.field("run_name", run.info.runName)
                                w.field("experiment_id", run.info.experimentId)
                                w.field("status", run.info.status.rawValue)
                                w.field("git_commit", Self.commit(run))
                                w.field("metrics", run.metrics)
                                w.field("params", run.params)
                            }
                        }
                    }
                }
            }
        }
        return w.bytes
    }

    func text(_ model: RegisteredModel, _ lineage: [Lineage]) -> String {
        var out: [String] = []
        out.append("Model: \(model.name)")
        if let d = model.description, !d.isEmpty { out.append("Description: \(d)") }
        out.append(
            "Created: \(formatTime(model.creationTimestamp))   Updated: \(formatTime(model.lastUpdatedTimestamp))")
        if !model.aliases.isEmpty {
            out.append("Aliases: " + model.aliases.map { "\($0.alias) -> v\($0.version)" }.joined(separator: ", "))
        }
        if !model.tags.isEmpty {
            out.append("Tags: " + model.tags.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        out.append("")
        if lineage.isEmpty {
            out.append("No versions.")
            return out.joined(separator: "\n")
        }
        var table = TextTable(header: ["VERSION", "STAGE", "ALIASES", "RUN", "COMMIT", "METRICS", "SOURCE"])
        for l in lineage {
            let v = l.version
            let metrics = (l.run?.metrics ?? []).sorted { $0.key < $1.key }.prefix(4)
                .map { "\($0.key)=\(Self.short($0.value))" }.joined(separator: " ")
            let runText = l.run.map { "\($0.info.runName) (\($0.info.runId.prefix(8)))" } ?? (v.runId ?? "-")
            table.rows.append([
                "v\(v.version)", v.currentStage.rawValue, v.aliases.isEmpty ? "-" : v.aliases.joined(separator: ","),
                runText, Self.commit(l.run).map { String($0.prefix(10)) } ?? "-", metrics.isEmpty ? "-" : metrics,
                v.source,
            ])
        }
        out.append(table.render())
        let images = lineage.compactMap { l in Self.image(l.version).map { (l.version.version, $0) } }
        if !images.isEmpty {
            out.append("")
            out.append("Images:")
            for (version, image) in images { out.append("  v\(version)  \(image.ref)  \(image.digest)") }
        }
        return out.joined(separator: "\n")
    }

    /// The image recorded on a version by `cairn image build` / `push` (tags `cairn.image.ref`, `cairn.image.digest`).
    static func image(_ v: ModelVersion) -> (ref: String, digest: String)? {
        guard let ref = v.tags.first(where: { $0.key == "cairn.image.ref" })?.value else { return nil }
        return (ref, v.tags.first { $0.key == "cairn.image.digest" }?.value ?? "-")
    }

    static func short(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return String(d) }
        if d == d.rounded() && abs(d) < 1e12 { return String(Int64(d)) }
        return String(format: "%.4g", d)
    }
}
