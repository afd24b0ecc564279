import CairnCore
import CairnStore

extension SQLTrackingStore: RegistryStore {
    public func createRegisteredModel(name: String, tags: [KeyValue], description: String?) async throws
        -> RegisteredModel
    {
        try await write { s in
            if try s.exists("SELECT 1 FROM registered_models WHERE name = \(name)") {
                throw RegistryRules.modelExists(name)
            }
            let now = Self.now()
            let id: Int64?
            do {
                id = try s.scalar(
                    Int64.self,
                    """
                    INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, description)
                    VALUES (\(name), \(now), \(now), \(description)) RETURNING id
                    """)
            } catch SQLStoreError.uniqueViolation {
                throw RegistryRules.modelExists(name)
            }
            guard let id else { throw SQLStoreError.database("the new model's id was not returned") }
            try s.upsert(
                into: "registered_model_tags", key: ["model", "key"], set: ["value"],
                rows: tags.map { [.int(id), .text($0.key), .text($0.value)] })
            return try Self.loadModel(s, name)
        }
    }

    public func getRegisteredModel(name: String) async throws -> RegisteredModel {
        try await read { s in try Self.loadModel(s, name) }
    }

    public func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel {
        try await write { s in
            let id = try Self.requireModel(s, name, lock: true)
            if newName != name, try s.exists("SELECT 1 FROM registered_models WHERE name = \(newName)") {
                throw RegistryRules.modelExists(newName)
            }
            do {
                try s.execute(
                    "UPDATE registered_models SET name = \(newName), last_updated_timestamp = \(Self.now()) WHERE id = \(id)"
                )
            } catch SQLStoreError.uniqueViolation {
                throw RegistryRules.modelExists(newName)
            }
            return try Self.loadModel(s, newName)
        }
    }

    public func updateRegisteredModel(name: String, description: String?) async throws -> RegisteredModel {
        try await write { s in
            let id = try Self.requireModel(s, name, lock: true)
            try s.execute(
                """
                UPDATE registered_models SET description = \(description), last_updated_timestamp = \(Self.now())
                WHERE id = \(id)
                """)
            return try Self.loadModel(s, name)
        }
    }

    public func deleteRegisteredModel(name: String) async throws {
        try await write { s in
            let id = try Self.requireModel(s, name, lock: true)
            try s.execute("DELETE FROM registered_models WHERE id = \(id)")
        }
    }

    public func searchRegisteredModels(_ query: RegisteredModelQuery) async throws -> Page<RegisteredModel> {
        try await read { s in
            var sql: SQLStatement = "SELECT * FROM registered_models rm WHERE 1 = 1"
            sql += Self.visibleCondition("rm.name", query.visible, numeric: false)
            for clause in query.filter?.clauses ?? [] {
                switch clause.field {
                case .name:
                    sql += " AND " + (try SQLConditions.string("rm.name", clause.comparator, clause.value, s.dialect))
                case .tag(let key):
                    let (negated, comparator) = RegistryRules.tagCondition(key: key, comparator: clause.comparator)
                    let test = try SQLConditions.string("t.value", comparator, clause.value, s.dialect)
                    sql += """
                         AND \(sql: negated ? "NOT " : "")EXISTS (SELECT 1 FROM registered_model_tags t
                        WHERE t.model = rm.id AND t.key = \(key) AND \(test))
                        """
                }
            }
            var order: [SQLStatement] = []
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
            let rows = try s.fetchAll(sql)
            let items = try Self.registeredModels(s, rows: Array(rows.prefix(query.maxResults)))
            return Page(items: items, nextOffset: rows.count > query.maxResults ? query.offset + query.maxResults : nil)
        }
    }

    public func setRegisteredModelTag(name: String, tag: KeyValue) async throws {
        try await write { s in
            let id = try Self.requireModel(s, name, lock: true)
            try s.upsert(
                into: "registered_model_tags", key: ["model", "key"], set: ["value"],
                rows: [[.int(id), .text(tag.key), .text(tag.value)]])
            try Self.touchModel(s, id, Self.now())
        }
    }

    public func deleteRegisteredModelTag(name: String, key: String) async throws {
        try await write { s in
            let id = try Self.requireModel(s, name, lock: true)
            if try s.execute("DELETE FROM registered_model_tags WHERE model = \(id) AND key = \(key)") > 0 {
                try Self.touchModel(s, id, Self.now())
            }
        }
    }

    public func setAlias(name: String, alias: String, version: Int64) async throws {
        try await write { s in
            let id = try Self.requireVersion(s, name, version)
            try s.upsert(
                into: "registered_model_aliases", key: ["model", "alias"], set: ["version"],
                rows: [[.int(id), .text(alias), .int(version)]])
            try Self.touchModel(s, id, Self.now())
        }
    }

    public func deleteAlias(name: String, alias: String) async throws {
        try await write { s in
            let id = try Self.requireModel(s, name, lock: true)
            try s.execute("DELETE FROM registered_model_aliases WHERE model = \(id) AND alias = \(alias)")
            try Self.touchModel(s, id, Self.now())
        }
    }

    public func createModelVersion(_ new: NewModelVersion) async throws -> ModelVersion {
        try await write { s in
            let model = try Self.requireModel(s, new.name, lock: true)
            var runId = new.runId.flatMap { $0.isEmpty ? nil : $0 }
            let modelId = RegistryRules.loggedModelId(of: new)
            if let modelId {
                // Locked: the registrations tag below is read, extended and written back.
                guard
                    let logged = try s.fetchOne(
                        "SELECT source_run_id FROM logged_models WHERE model_id = \(modelId)\(sql: s.dialect.lockRows)")
                else { throw RegistryRules.loggedModelNotFound(modelId) }
                if runId == nil { runId = try logged.get("source_run_id") }
            }
            // The model row is locked, so the next number is this transaction's alone.
            let version =
                (try s.scalar(Int64.self, "SELECT last_version FROM registered_models WHERE id = \(model)") ?? 0) + 1
            let now = Self.now()
            try s.execute(
                """
                INSERT INTO model_versions (model, version, creation_timestamp, last_updated_timestamp, user_id,
                    current_stage, description, source, run_id, status, run_link, model_id)
                VALUES (\(model), \(version), \(now), \(now), \(new.userId), 'None', \(new.description ?? ""),
                        \(new.source), \(runId), 'READY', \(new.runLink ?? ""), \(modelId))
                """)
            try s.execute(
                "UPDATE registered_models SET last_version = \(version), last_updated_timestamp = \(now) WHERE id = \(model)"
            )
            try s.upsert(
                into: "model_version_tags", key: ["model", "version", "key"], set: ["value"],
                rows: new.tags.map { [.int(model), .int(version), .text($0.key), .text($0.value)] })
            if let modelId {
                let current = try s.scalar(
                    String.self,
                    """
                    SELECT value FROM logged_model_tags
                    WHERE model_id = \(modelId) AND key = \(RegistryRules.registrationsTag)
                    """)
                let value = RegistryRules.registrations(appending: new.name, version: version, to: current)
                try s.upsert(
                    into: "logged_model_tags", key: ["model_id", "key"], set: ["value"],
                    rows: [[.text(modelId), .text(RegistryRules.registrationsTag), .text(value)]])
            }
            return try Self.loadVersion(s, new.name, version)
        }
    }

    public func modelVersion(name: String, version: Int64) async throws -> ModelVersion {
        try await read { s in try Self.loadVersion(s, name, version) }
    }

    public func modelVersion(name: String, alias: String) async throws -> ModelVersion {
        try await read { s in
            let model = try Self.requireModel(s, name)
            guard
                let version = try s.scalar(
                    Int64.self,
                    "SELECT version FROM registered_model_aliases WHERE model = \(model) AND alias = \(alias)")
            else { throw MlflowError.invalid("Registered model alias \(alias) not found.") }
            return try Self.loadVersion(s, name, version)
        }
    }

    public func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion] {
        try await read { s in
            let model = try Self.requireModel(s, name)
            return try Self.latestVersions(s, model: model, stages: stages)
        }
    }

    public func loggedModelArtifactUri(id: String) async throws -> String {
        try await getLoggedModel(id: id, allowDeleted: false).artifactUri
    }

    public func runArtifactUri(runId: String) async throws -> String {
        try await getRun(id: runId).info.artifactUri
    }

    public func loggedModelId(runId: String, name: String) async throws -> String? {
        try await read { s in
            try s.scalar(
                String.self,
                """
                SELECT model_id FROM logged_models
                WHERE source_run_id = \(runId) AND name = \(name) AND lifecycle_stage = 'active'
                ORDER BY creation_timestamp DESC, model_id LIMIT 1
                """)
        }
    }

    public func updateModelVersion(name: String, version: Int64, description: String?) async throws -> ModelVersion {
        try await write { s in
            let model = try Self.requireVersion(s, name, version)
            if let description {
                try s.execute(
                    "UPDATE model_versions SET description = \(description) WHERE model = \(model) AND version = \(version)"
                )
            }
            try Self.touchVersion(s, model, version, Self.now())
            return try Self.loadVersion(s, name, version)
        }
    }

    public func deleteModelVersion(name: String, version: Int64) async throws {
        try await write { s in
            let model = try Self.requireVersion(s, name, version)
            try s.execute("DELETE FROM model_versions WHERE model = \(model) AND version = \(version)")
            try Self.touchModel(s, model, Self.now())
        }
    }

    public func transitionStage(name: String, version: Int64, stage: ModelStage, archiveExisting: Bool) async throws
        -> ModelVersion
    {
        try await write { s in
            let model = try Self.requireVersion(s, name, version)
            try RegistryRules.checkTransition(to: stage, archiveExisting: archiveExisting)
            let now = Self.now()
            if archiveExisting {
                try s.execute(
                    """
                    UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = \(now)
                    WHERE model = \(model) AND current_stage = \(stage.rawValue) AND version != \(version)
                    """)
            }
            try s.execute(
                """
                UPDATE model_versions SET current_stage = \(stage.rawValue) WHERE model = \(model) AND version = \(version)
                """)
            try Self.touchVersion(s, model, version, now)
            return try Self.loadVersion(s, name, version)
        }
    }

    public func setModelVersionTag(name: String, version: Int64, tag: KeyValue) async throws {
        try await write { s in
            let model = try Self.requireVersion(s, name, version)
            try s.upsert(
                into: "model_version_tags", key: ["model", "version", "key"], set: ["value"],
                rows: [[.int(model), .int(version), .text(tag.key), .text(tag.value)]])
            try Self.touchVersion(s, model, version, Self.now())
        }
    }

    public func deleteModelVersionTag(name: String, version: Int64, key: String) async throws {
        try await write { s in
            let model = try Self.requireVersion(s, name, version)
            let n = try s.execute(
                "DELETE FROM model_version_tags WHERE model = \(model) AND version = \(version) AND key = \(key)")
            if n > 0 { try Self.touchVersion(s, model, version, Self.now()) }
        }
    }
}
