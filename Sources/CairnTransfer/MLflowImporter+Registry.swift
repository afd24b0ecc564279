import CairnCore
import CairnStoreSQL

extension MLflowImporter {
    /// What one registered model's transaction wrote.
    private struct RegistryCounts: Sendable {
        var modelImported = false
        var versions = (imported: 0, skipped: 0)
        var aliases = (imported: 0, skipped: 0)
    }

    /// Inserts a registered model (or finds it), its missing versions, tags and aliases, and moves
    /// `last_version` to at least MLflow's, so deleted version numbers are not given again.
    func importRegisteredModel(
        _ m: MLflowRegisteredModel, pairs: [(old: String, new: String)], into summary: inout ImportSummary
    ) async throws {
        let versions = m.versions.map { v in
            var v = v
            v.source = relocator.rewrite(source: v.source, pairs: pairs)
            if v.modelId == nil, case .loggedModel(let id)? = try? ModelURI(parsing: v.source) { v.modelId = id }
            return v
        }
        let counts = try await target.write { s -> RegistryCounts in
            var counts = RegistryCounts()
            let skip = "ON CONFLICT DO NOTHING"
            var model = try s.scalar(Int64.self, "SELECT id FROM registered_models WHERE name = \(m.name)")
            if model == nil {
                model = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, description,
                                                   last_version)
                    VALUES (\(m.name), \(m.creationTime), \(m.lastUpdatedTime), \(m.description), \(m.lastVersion))
                    RETURNING id
                    """)
                counts.modelImported = true
            }
            guard let model else { throw SQLStoreError.database("the registered model's id was not returned") }
            try s.insertMany(
                into: "registered_model_tags", columns: ["model", "key", "value"],
                rows: m.tags.map { [.int(model), .text($0.key), .text($0.value)] }, suffix: skip)
            for v in versions {
                if try s.exists("SELECT 1 FROM model_versions WHERE model = \(model) AND version = \(v.version)") {
                    counts.versions.skipped += 1
                    continue
                }
                try s.execute(
                    """
                    INSERT INTO model_versions (model, version, creation_timestamp, last_updated_timestamp, user_id,
                        current_stage, description, source, run_id, status, status_message, run_link, model_id)
                    VALUES (\(model), \(v.version), \(v.creationTime), \(v.lastUpdatedTime), \(v.userId),
                            \(v.stage.rawValue), \(v.description ?? ""), \(v.source), \(v.runId), \(v.status.rawValue),
                            \(v.statusMessage), \(v.runLink ?? ""), \(v.modelId))
                    """)
                try s.insertMany(
                    into: "model_version_tags", columns: ["model", "version", "key", "value"],
                    rows: v.tags.map { [.int(model), .int(v.version), .text($0.key), .text($0.value)] }, suffix: skip)
                counts.versions.imported += 1
            }
            for (alias, version) in m.aliases.sorted(by: { $0.key < $1.key }) {
                let present = try s.exists(
                    "SELECT 1 FROM registered_model_aliases WHERE model = \(model) AND alias = \(alias)")
                let target = try s.exists(
                    "SELECT 1 FROM model_versions WHERE model = \(model) AND version = \(version)")
                if present || !target {
                    counts.aliases.skipped += 1
                    continue
                }
                try s.execute(
                    """
                    INSERT INTO registered_model_aliases (model, alias, version)
                    VALUES (\(model), \(alias), \(version))
                    """)
                counts.aliases.imported += 1
            }
            try s.execute(
                """
                UPDATE registered_models SET last_version = \(sql: s.dialect.greatest)(last_version, \(m.lastVersion))
                WHERE id = \(model)
                """)
            return counts
        }
        summary.add("registered models", imported: counts.modelImported ? 1 : 0, skipped: counts.modelImported ? 0 : 1)
        summary.add("model versions", imported: counts.versions.imported, skipped: counts.versions.skipped)
        summary.add("aliases", imported: counts.aliases.imported, skipped: counts.aliases.skipped)
    }
}
