import CairnCore
import GRDB

extension SQLiteTrackingStore: RegistryStore {
    /// The tag that marks prompt entries of the registry.
    static let promptTag = "mlflow.prompt.is_prompt"

    static func modelNotFound(_ name: String) -> MlflowError {
        .notFound("Registered Model with name=\(name) not found")
    }

    static func versionNotFound(_ name: String, _ version: Int64) -> MlflowError {
        .notFound("Model Version (name=\(name), version=\(version)) not found")
    }

    static func requireModel(_ db: Database, _ name: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM registered_models WHERE name = ?", arguments: [name])
        else { throw modelNotFound(name) }
        return id
    }

    static func requireVersion(_ db: Database, _ name: String, _ version: Int64) throws -> Int64 {
        let model = try requireModel(db, name)
        guard
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM model_versions WHERE model = ? AND version = ?)",
                arguments: [model, version]) == true
        else { throw versionNotFound(name, version) }
        return model
    }

    static func touchModel(_ db: Database, _ model: Int64, _ now: Int64) throws {
        try db.execute(
            sql: "UPDATE registered_models SET last_updated_timestamp = ? WHERE id = ?", arguments: [now, model])
    }

    static func touchVersion(_ db: Database, _ model: Int64, _ version: Int64, _ now: Int64) throws {
        try db.execute(
            sql: "UPDATE model_versions SET last_updated_timestamp = ? WHERE model = ? AND version = ?",
            arguments: [now, model, version])
        try touchModel(db, model, now)
    }

    /// Loads versions from rows of `model_versions` joined with the model name (`name` column). Tags and
    /// aliases of all the rows come in one query each (per chunk of pairs), not one per version.
    static func versions(_ db: Database, rows: [Row]) throws -> [ModelVersion] {
        struct Key: Hashable {
            let model: Int64
            let version: Int64
        }
        let keys = rows.map { Key(model: $0["model"], version: $0["version"]) }
        var tags: [Key: [KeyValue]] = [:]
        var aliases: [Key: [String]] = [:]
        try inChunks(Array(Set(keys)), of: 250) { chunk in  // two bound values per pair
            let pairs = Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", ")
            let arguments = StatementArguments(chunk.flatMap { [$0.model, $0.version] })
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT model, version, key, value FROM model_version_tags
                    WHERE (model, version) IN (VALUES \(pairs)) ORDER BY key
                    """, arguments: arguments)
            {
                tags[Key(model: row[0], version: row[1]), default: []].append(KeyValue(row[2], row[3]))
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT model, version, alias FROM registered_model_aliases
                    WHERE (model, version) IN (VALUES \(pairs)) ORDER BY alias
                    """, arguments: arguments)
            {
                aliases[Key(model: row[0], version: row[1]), default: []].append(row[2])
            }
        }
        return zip(rows, keys).map { row, key in
            ModelVersion(
                name: row["name"], version: key.version, creationTimestamp: row["creation_timestamp"],
                lastUpdatedTimestamp: row["last_updated_timestamp"], userId: row["user_id"],
                currentStage: ModelStage(rawValue: row["current_stage"]) ?? .none, description: row["description"],
                source: row["source"], runId: row["run_id"],
                status: ModelVersionStatus(rawValue: row["status"]) ?? .ready, statusMessage: row["status_message"],
                tags: tags[key] ?? [], runLink: row["run_link"], aliases: aliases[key] ?? [], modelId: row["model_id"])
        }
    }

    static let versionSelect =
        "SELECT mv.*, rm.name AS name FROM model_versions mv JOIN registered_models rm ON rm.id = mv.model"

    static func loadVersion(_ db: Database, _ name: String, _ version: Int64) throws -> ModelVersion {
        let rows = try Row.fetchAll(
            db, sql: "\(versionSelect) WHERE rm.name = ? AND mv.version = ?", arguments: [name, version])
        guard let v = try versions(db, rows: rows).first else { throw versionNotFound(name, version) }
        return v
    }

    static func latestVersions(_ db: Database, model: Int64, stages: [ModelStage]) throws -> [ModelVersion] {
        var sql: SQL = """
            SELECT mv.*, rm.name AS name FROM model_versions mv JOIN registered_models rm ON rm.id = mv.model
            WHERE mv.model = \(model) AND mv.version = (
                SELECT MAX(x.version) FROM model_versions x WHERE x.model = mv.model AND x.current_stage = mv.current_stage)
            """
        if !stages.isEmpty { sql += " AND mv.current_stage IN \(stages.map(\.rawValue))" }
        sql += " ORDER BY mv.version"
        return try versions(db, rows: try Row.fetchAll(db, SQLRequest(literal: sql)))
    }

    /// Loads registered models from rows of `registered_models`, with their tags, aliases and latest
    /// version per stage fetched in one query each per chunk of models.
    static func registeredModels(_ db: Database, rows: [Row]) throws -> [RegisteredModel] {
        let ids: [Int64] = rows.map { $0["id"] }
        var tags: [Int64: [KeyValue]] = [:]
        var aliases: [Int64: [(alias: String, version: Int64)]] = [:]
        var latest: [Int64: [ModelVersion]] = [:]
        try inChunks(ids) { chunk in
            for row in try Row.fetchAll(
                db,
                SQLRequest(
                    literal: "SELECT model, key, value FROM registered_model_tags WHERE model IN \(chunk) ORDER BY key")
            ) {
                tags[row[0], default: []].append(KeyValue(row[1], row[2]))
            }
            for row in try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT model, alias, version FROM registered_model_aliases WHERE model IN \(chunk)
                        ORDER BY alias
                        """))
            {
                aliases[row[0], default: []].append((alias: row[1], version: row[2]))
            }
            let versionRows = try Row.fetchAll(
                db,
                SQLRequest(
                    literal: """
                        SELECT mv.*, rm.name AS name FROM model_versions mv JOIN registered_models rm ON rm.id = mv.model
                        WHERE mv.model IN \(chunk) AND mv.version = (
                            SELECT MAX(x.version) FROM model_versions x
                            WHERE x.model = mv.model AND x.current_stage = mv.current_stage)
                        ORDER BY mv.version
                        """))
            for (row, version) in zip(versionRows, try versions(db, rows: versionRows)) {
                latest[row["model"], default: []].append(version)
            }
        }
        return zip(rows, ids).map { row, id in
            RegisteredModel(
                name: row["name"], creationTimestamp: row["creation_timestamp"],
                lastUpdatedTimestamp: row["last_updated_timestamp"], userId: row["user_id"],
                description: row["description"], latestVersions: latest[id] ?? [], tags: tags[id] ?? [],
                aliases: aliases[id] ?? [])
        }
    }

    static func loadModel(_ db: Database, _ name: String) throws -> RegisteredModel {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM registered_models WHERE name = ?", arguments: [name])
        else { throw modelNotFound(name) }
        return try registeredModels(db, rows: [row])[0]
    }

    public func createRegisteredModel(name: String, tags: [KeyValue], description: String?) async throws
        -> RegisteredModel
    {
        try await write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM registered_models WHERE name = ?", arguments: [name]) != nil
            {
                throw MlflowError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
            }
            let now = Self.now()
            try db.execute(
                sql: """
                    INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, description)
                    VALUES (?, ?, ?, ?)
                    """, arguments: [name, now, now, description])
            let id = db.lastInsertedRowID
            for t in tags {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO registered_model_tags (model, key, value) VALUES (?, ?, ?)",
                    arguments: [id, t.key, t.value])
            }
            return try Self.loadModel(db, name)
        }
    }

    public func getRegisteredModel(name: String) async throws -> RegisteredModel {
        try await read { db in try Self.loadModel(db, name) }
    }

    public func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel {
        try await write { db in
            let id = try Self.requireModel(db, name)
            if newName != name,
                try Int64.fetchOne(db, sql: "SELECT id FROM registered_models WHERE name = ?", arguments: [newName])
                    != nil
            {
                throw MlflowError(.resourceAlreadyExists, "Registered Model (name=\(newName)) already exists.")
            }
            try db.execute(
                sql: "UPDATE registered_models SET name = ?, last_updated_timestamp = ? WHERE id = ?",
                arguments: [newName, Self.now(), id])
            return try Self.loadModel(db, newName)
        }
    }

    public func updateRegisteredModel(name: String, description: String?) async throws -> RegisteredModel {
        try await write { db in
            let id = try Self.requireModel(db, name)
            try db.execute(
                sql: "UPDATE registered_models SET description = ?, last_updated_timestamp = ? WHERE id = ?",
                arguments: [description, Self.now(), id])
            return try Self.loadModel(db, name)
        }
    }

    public func deleteRegisteredModel(name: String) async throws {
        try await write { db in
            let id = try Self.requireModel(db, name)
            try db.execute(sql: "DELETE FROM registered_models WHERE id = ?", arguments: [id])
        }
    }

    public func searchRegisteredModels(_ query: RegisteredModelQuery) async throws -> Page<RegisteredModel> {
        var sql: SQL = "SELECT * FROM registered_models rm WHERE 1"
        for clause in query.filter?.clauses ?? [] {
            switch clause.field {
            case .name:
                sql += " AND " + Self.stringCondition("rm.name", clause.comparator, clause.value)
            case .tag(let key):
                // `!=` needs the tag to exist, except the prompt marker the client adds to every search:
                // models without it are not prompts.
                let negated = clause.comparator == .notEqual && key == Self.promptTag
                let comparator: Comparator = negated ? .equal : clause.comparator
                sql += """
                     AND \(sql: negated ? "NOT " : "")EXISTS (SELECT 1 FROM registered_model_tags t
                    WHERE t.model = rm.id AND t.key = \(key) AND \(Self.stringCondition("t.value", comparator, clause.value)))
                    """
            }
        }
        var order: [SQL] = []
        var hasName = false
        for o in query.orderBy {
            switch o {
            case .name(let asc):
                order.append(asc ? "rm.name ASC" : "rm.name DESC")
                hasName = true
            case .lastUpdated(let asc):
                order.append(asc ? "rm.last_updated_timestamp ASC" : "rm.last_updated_timestamp DESC")
            }
        }
        if !hasName { order.append("rm.name ASC") }
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
        let final = sql
        return try await read { db in
            let rows = try Row.fetchAll(db, SQLRequest(literal: final))
            let items = try Self.registeredModels(db, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: items, nextOffset: rows.count > query.maxResults ? query.offset + query.maxResults : nil)
        }
    }

    public func setRegisteredModelTag(name: String, tag: KeyValue) async throws {
        try await write { db in
            let id = try Self.requireModel(db, name)
            try db.execute(
                sql: "INSERT OR REPLACE INTO registered_model_tags (model, key, value) VALUES (?, ?, ?)",
                arguments: [id, tag.key, tag.value])
            try Self.touchModel(db, id, Self.now())
        }
    }

    public func deleteRegisteredModelTag(name: String, key: String) async throws {
        try await write { db in
            let id = try Self.requireModel(db, name)
            try db.execute(sql: "DELETE FROM registered_model_tags WHERE model = ? AND key = ?", arguments: [id, key])
            if db.changesCount > 0 { try Self.touchModel(db, id, Self.now()) }
        }
    }

    public func setAlias(name: String, alias: String, version: Int64) async throws {
        try await write { db in
            let id = try Self.requireVersion(db, name, version)
            try db.execute(
                sql: "INSERT OR REPLACE INTO registered_model_aliases (model, alias, version) VALUES (?, ?, ?)",
                arguments: [id, alias, version])
            try Self.touchModel(db, id, Self.now())
        }
    }

    public func deleteAlias(name: String, alias: String) async throws {
        try await write { db in
            let id = try Self.requireModel(db, name)
            try db.execute(
                sql: "DELETE FROM registered_model_aliases WHERE model = ? AND alias = ?", arguments: [id, alias])
            try Self.touchModel(db, id, Self.now())
        }
    }

    public func createModelVersion(_ new: NewModelVersion) async throws -> ModelVersion {
        try await write { db in
            let model = try Self.requireModel(db, new.name)
            var runId = new.runId.flatMap { $0.isEmpty ? nil : $0 }
            var modelId = new.modelId.flatMap { $0.isEmpty ? nil : $0 }
            if modelId == nil, case .loggedModel(let id)? = try? ModelURI(parsing: new.source) { modelId = id }
            if let modelId {
                guard
                    let logged = try Row.fetchOne(
                        db, sql: "SELECT source_run_id FROM logged_models WHERE model_id = ?", arguments: [modelId])
                else { throw MlflowError.notFound("Logged model with ID '\(modelId)' not found.") }
                if runId == nil { runId = logged["source_run_id"] }
            }
            let version =
                (try Int64.fetchOne(
                    db, sql: "SELECT last_version FROM registered_models WHERE id = ?", arguments: [model])
                    ?? 0) + 1
            let now = Self.now()
            try db.execute(
                sql: """
                    INSERT INTO model_versions (model, version, creation_timestamp, last_updated_timestamp, user_id,
                        current_stage, description, source, run_id, status, run_link, model_id)
                    VALUES (?, ?, ?, ?, ?, 'None', ?, ?, ?, 'READY', ?, ?)
                    """,
                arguments: [
                    model, version, now, now, new.userId, new.description ?? "", new.source, runId, new.runLink ?? "",
                    modelId,
                ])
            try db.execute(
                sql: "UPDATE registered_models SET last_version = ?, last_updated_timestamp = ? WHERE id = ?",
                arguments: [version, now, model])
            for t in new.tags {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO model_version_tags (model, version, key, value) VALUES (?, ?, ?, ?)",
                    arguments: [model, version, t.key, t.value])
            }
            if let modelId { try Self.appendRegistration(db, loggedModel: modelId, name: new.name, version: version) }
            return try Self.loadVersion(db, new.name, version)
        }
    }

    /// Appends `{"name": ..., "version": N}` to the logged model's `mlflow.modelVersions` tag.
    static func appendRegistration(_ db: Database, loggedModel: String, name: String, version: Int64) throws {
        let key = "mlflow.modelVersions"
        let current = try String.fetchOne(
            db, sql: "SELECT value FROM logged_model_tags WHERE model_id = ? AND key = ?",
            arguments: [loggedModel, key])
        var entries: [JSONValue] = []
        if let current, case .array(let existing)? = try? JSONParser.parse(current) { entries = existing }
        entries.append(.object(["name": .string(name), "version": .int(version)]))
        var w = JSONWriter()
        w.array { w in
            for e in entries {
                guard case .object(let o) = e else { continue }
                w.object { w in
                    for (k, v) in o.sorted(by: { $0.key < $1.key }) {
                        w.key(k)
                        switch v {
                        case .string(let s): w.value(s)
                        case .int(let i): w.value(i)
                        case .double(let d): w.value(d)
                        case .bool(let b): w.value(b)
                        default: w.raw("null")
                        }
                    }
                }
            }
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)",
            arguments: [loggedModel, key, String(decoding: w.bytes, as: UTF8.self)])
    }

    public func modelVersion(name: String, version: Int64) async throws -> ModelVersion {
        try await read { db in try Self.loadVersion(db, name, version) }
    }

    public func modelVersion(name: String, alias: String) async throws -> ModelVersion {
        try await read { db in
            let model = try Self.requireModel(db, name)
            guard
                let version = try Int64.fetchOne(
                    db, sql: "SELECT version FROM registered_model_aliases WHERE model = ? AND alias = ?",
                    arguments: [model, alias])
            else { throw MlflowError.invalid("Registered model alias \(alias) not found.") }
            return try Self.loadVersion(db, name, version)
        }
    }

    public func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion] {
        try await read { db in
            let model = try Self.requireModel(db, name)
            return try Self.latestVersions(db, model: model, stages: stages)
        }
    }

    public func loggedModelArtifactUri(id: String) async throws -> String {
        try await getLoggedModel(id: id, allowDeleted: false).artifactUri
    }

    public func runArtifactUri(runId: String) async throws -> String {
        try await getRun(id: runId).info.artifactUri
    }

    public func updateModelVersion(name: String, version: Int64, description: String?) async throws -> ModelVersion {
        try await write { db in
            let model = try Self.requireVersion(db, name, version)
            if let description {
                try db.execute(
                    sql: "UPDATE model_versions SET description = ? WHERE model = ? AND version = ?",
                    arguments: [description, model, version])
            }
            try Self.touchVersion(db, model, version, Self.now())
            return try Self.loadVersion(db, name, version)
        }
    }

    public func deleteModelVersion(name: String, version: Int64) async throws {
        try await write { db in
            let model = try Self.requireVersion(db, name, version)
            try db.execute(
                sql: "DELETE FROM model_versions WHERE model = ? AND version = ?", arguments: [model, version])
            try Self.touchModel(db, model, Self.now())
        }
    }

    public func transitionStage(name: String, version: Int64, stage: ModelStage, archiveExisting: Bool) async throws
        -> ModelVersion
    {
        try await write { db in
            let model = try Self.requireVersion(db, name, version)
            if archiveExisting && !(stage == .staging || stage == .production) {
                throw MlflowError.invalid(
                    "Model version transition cannot archive existing model versions because '\(stage.rawValue)' is not "
                        + "an Active stage. Valid stages are Staging and Production.")
            }
            let now = Self.now()
            if archiveExisting {
                try db.execute(
                    sql: """
                        UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = ?
                        WHERE model = ? AND current_stage = ? AND version != ?
                        """, arguments: [now, model, stage.rawValue, version])
            }
            try db.execute(
                sql: "UPDATE model_versions SET current_stage = ? WHERE model = ? AND version = ?",
                arguments: [stage.rawValue, model, version])
            try Self.touchVersion(db, model, version, now)
            return try Self.loadVersion(db, name, version)
        }
    }

    public func setModelVersionTag(name: String, version: Int64, tag: KeyValue) async throws {
        try await write { db in
            let model = try Self.requireVersion(db, name, version)
            try db.execute(
                sql: "INSERT OR REPLACE INTO model_version_tags (model, version, key, value) VALUES (?, ?, ?, ?)",
                arguments: [model, version, tag.key, tag.value])
            try Self.touchVersion(db, model, version, Self.now())
        }
    }

    public func deleteModelVersionTag(name: String, version: Int64, key: String) async throws {
        try await write { db in
            let model = try Self.requireVersion(db, name, version)
            try db.execute(
                sql: "DELETE FROM model_version_tags WHERE model = ? AND version = ? AND key = ?",
                arguments: [model, version, key])
            if db.changesCount > 0 { try Self.touchVersion(db, model, version, Self.now()) }
        }
    }

    public func searchModelVersions(_ query: ModelVersionQuery) async throws -> Page<ModelVersion> {
        var sql: SQL = "\(sql: Self.versionSelect) WHERE 1"
        for c in query.filter?.clauses ?? [] {
            switch c.field {
            case .name: sql += " AND " + Self.stringCondition("rm.name", c.comparator, c.value)
            case .runId: sql += " AND " + Self.stringCondition("mv.run_id", c.comparator, c.value)
            case .sourcePath: sql += " AND " + Self.stringCondition("mv.source", c.comparator, c.value)
            case .versionNumber: sql += " AND " + Self.numericCondition("mv.version", c.comparator, c.value)
            case .creationTimestamp:
                sql += " AND " + Self.numericCondition("mv.creation_timestamp", c.comparator, c.value)
            case .lastUpdatedTimestamp:
                sql += " AND " + Self.numericCondition("mv.last_updated_timestamp", c.comparator, c.value)
            case .tag(let key):
                let negated = c.comparator == .notEqual && key == Self.promptTag
                let comparator: Comparator = negated ? .equal : c.comparator
                sql += """
                     AND \(sql: negated ? "NOT " : "")EXISTS (SELECT 1 FROM model_version_tags t
                    WHERE t.model = mv.model AND t.version = mv.version AND t.key = \(key)
                    AND \(Self.stringCondition("t.value", comparator, c.value)))
                    """
            }
        }
        var order: [SQL] = []
        for o in query.orderBy {
            let dir = o.ascending ? "ASC" : "DESC"
            switch o.field {
            case .name: order.append(SQL(sql: "rm.name \(dir)"))
            case .versionNumber: order.append(SQL(sql: "mv.version \(dir)"))
            case .creationTimestamp: order.append(SQL(sql: "mv.creation_timestamp \(dir)"))
            case .lastUpdatedTimestamp: order.append(SQL(sql: "mv.last_updated_timestamp \(dir)"))
            default: break
            }
        }
        if query.orderBy.isEmpty { order.append("mv.last_updated_timestamp DESC") }
        order.append("rm.name ASC")
        order.append("mv.version DESC")
        sql += " ORDER BY " + order.joined(separator: ", ")
        sql += " LIMIT \(query.maxResults + 1) OFFSET \(query.offset)"
        let final = sql
        return try await read { db in
            let rows = try Row.fetchAll(db, SQLRequest(literal: final))
            let items = try Self.versions(db, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: items, nextOffset: rows.count > query.maxResults ? query.offset + query.maxResults : nil)
        }
    }
}
