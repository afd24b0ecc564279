import CairnCore
import CairnStore

extension SQLTrackingStore {
    /// The key of a registered model; `lock` holds its row so that registry writes to one model
    /// from several servers queue (version numbers, aliases, stage transitions).
    static func requireModel(_ s: any SQLSession, _ name: String, lock: Bool = false) throws -> Int64 {
        guard
            let id = try s.scalar(
                Int64.self,
                "SELECT id FROM registered_models WHERE name = \(name)\(sql: lock ? s.dialect.lockRows : "")")
        else { throw RegistryRules.modelNotFound(name) }
        return id
    }

    /// The key of the model of an existing version, locked.
    static func requireVersion(_ s: any SQLSession, _ name: String, _ version: Int64) throws -> Int64 {
        let model = try requireModel(s, name, lock: true)
        guard try s.exists("SELECT 1 FROM model_versions WHERE model = \(model) AND version = \(version)") else {
            throw RegistryRules.versionNotFound(name, version)
        }
        return model
    }

    static func touchModel(_ s: any SQLSession, _ model: Int64, _ now: Int64) throws {
        try s.execute("UPDATE registered_models SET last_updated_timestamp = \(now) WHERE id = \(model)")
    }

    static func touchVersion(_ s: any SQLSession, _ model: Int64, _ version: Int64, _ now: Int64) throws {
        try s.execute(
            "UPDATE model_versions SET last_updated_timestamp = \(now) WHERE model = \(model) AND version = \(version)")
        try touchModel(s, model, now)
    }

    static let versionSelect =
        "SELECT mv.*, rm.name AS name FROM model_versions mv JOIN registered_models rm ON rm.id = mv.model"

    /// Loads versions from rows of `model_versions` joined with the model name (`name` column). Tags and
    /// aliases of all the rows come in one query each (per chunk of pairs), not one per version.
    static func versions(_ s: any SQLSession, rows: [SQLRow]) throws -> [ModelVersion] {
        struct Key: Hashable {
            let model: Int64
            let version: Int64
        }
        let keys = try rows.map { Key(model: try $0.get("model"), version: try $0.get("version")) }
        var tags: [Key: [KeyValue]] = [:]
        var aliases: [Key: [String]] = [:]
        try inChunks(Array(Set(keys)), of: 250) { chunk in  // two bound values per pair
            var pairs: [SQLStatement] = []
            for k in chunk { pairs.append("(model = \(k.model) AND version = \(k.version))") }
            let match = pairs.joined(separator: " OR ")
            try s.forEach("SELECT model, version, key, value FROM model_version_tags WHERE \(match) ORDER BY key") {
                row in
                tags[Key(model: try row.get(0), version: try row.get(1)), default: []].append(
                    KeyValue(try row.get(2), try row.get(3)))
            }
            try s.forEach("SELECT model, version, alias FROM registered_model_aliases WHERE \(match) ORDER BY alias") {
                row in aliases[Key(model: try row.get(0), version: try row.get(1)), default: []].append(try row.get(2))
            }
        }
        return try zip(rows, keys).map { row, key in
            ModelVersion(
                name: try row.get("name"), version: key.version, creationTimestamp: try row.get("creation_timestamp"),
                lastUpdatedTimestamp: try row.get("last_updated_timestamp"), userId: try row.get("user_id"),
                currentStage: ModelStage(rawValue: try row.get("current_stage")) ?? .none,
                description: try row.get("description"), source: try row.get("source"), runId: try row.get("run_id"),
                status: ModelVersionStatus(rawValue: try row.get("status")) ?? .ready,
                statusMessage: try row.get("status_message"), tags: tags[key] ?? [], runLink: try row.get("run_link"),
                aliases: aliases[key] ?? [], modelId: try row.get("model_id"))
        }
    }

    static func loadVersion(_ s: any SQLSession, _ name: String, _ version: Int64) throws -> ModelVersion {
        let rows = try s.fetchAll("\(sql: versionSelect) WHERE rm.name = \(name) AND mv.version = \(version)")
        guard let v = try versions(s, rows: rows).first else { throw RegistryRules.versionNotFound(name, version) }
        return v
    }

    static func latestVersions(_ s: any SQLSession, model: Int64, stages: [ModelStage]) throws -> [ModelVersion] {
        var sql: SQLStatement = """
            \(sql: versionSelect)
            WHERE mv.model = \(model) AND mv.version = (
                SELECT MAX(x.version) FROM model_versions x WHERE x.model = mv.model AND x.current_stage = mv.current_stage)
            """
        if !stages.isEmpty { sql += " AND mv.current_stage IN \(stages.map(\.rawValue))" }
        sql += " ORDER BY mv.version"
        return try versions(s, rows: try s.fetchAll(sql))
    }

    /// Loads registered models from rows of `registered_models`, with their tags, aliases and latest
    /// version per stage fetched in one query each per chunk of models.
    static func registeredModels(_ s: any SQLSession, rows: [SQLRow]) throws -> [RegisteredModel] {
        let ids: [Int64] = try rows.map { try $0.get("id") }
        var tags: [Int64: [KeyValue]] = [:]
        var aliases: [Int64: [(alias: String, version: Int64)]] = [:]
        var latest: [Int64: [ModelVersion]] = [:]
        try inChunks(ids) { chunk in
            try s.forEach("SELECT model, key, value FROM registered_model_tags WHERE model IN \(chunk) ORDER BY key") {
                row in tags[try row.get(0), default: []].append(KeyValue(try row.get(1), try row.get(2)))
            }
            try s.forEach(
                "SELECT model, alias, version FROM registered_model_aliases WHERE model IN \(chunk) ORDER BY alias"
            ) { row in aliases[try row.get(0), default: []].append((alias: try row.get(1), version: try row.get(2))) }
            let versionRows = try s.fetchAll(
                """
                \(sql: versionSelect)
                WHERE mv.model IN \(chunk) AND mv.version = (
                    SELECT MAX(x.version) FROM model_versions x
                    WHERE x.model = mv.model AND x.current_stage = mv.current_stage)
                ORDER BY mv.version
                """)
            for (row, version) in zip(versionRows, try versions(s, rows: versionRows)) {
                latest[try row.get("model"), default: []].append(version)
            }
        }
        return try zip(rows, ids).map { row, id in
            RegisteredModel(
                name: try row.get("name"), creationTimestamp: try row.get("creation_timestamp"),
                lastUpdatedTimestamp: try row.get("last_updated_timestamp"), userId: try row.get("user_id"),
                description: try row.get("description"), latestVersions: latest[id] ?? [], tags: tags[id] ?? [],
                aliases: aliases[id] ?? [])
        }
    }

    static func loadModel(_ s: any SQLSession, _ name: String) throws -> RegisteredModel {
        guard let row = try s.fetchOne("SELECT * FROM registered_models WHERE name = \(name)") else {
            throw RegistryRules.modelNotFound(name)
        }
        return try registeredModels(s, rows: [row])[0]
    }
}
