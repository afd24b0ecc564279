import CairnCore
import CairnStore

extension TrackingAPI {
    /// Reads `name` + `version` and checks the version is a positive integer.
    static func nameAndVersion(_ p: RequestParams) throws(MlflowError) -> (String, Int64) {
        let name = try p.requiredString("name")
        let versionText: String
        if let s = try p.string("version") {
            versionText = s
        } else if let i = try p.int64("version") {
            versionText = String(i)
        } else {
            throw .missing("version")
        }
        return (name, try RegistryValidation.version(versionText))
    }

    func createRegisteredModel(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        try RegistryValidation.modelName(name)
        let tags = try p.keyValues("tags")
        for t in tags { try RegistryValidation.tag(t) }
        let model = try await store.createRegisteredModel(
            name: name, tags: tags, description: try p.string("description"))
        try await access.created(GrantKey(.registeredModel, model.name))
        return Self.json { $0.field("registered_model", model) }
    }

    func getRegisteredModel(_ p: RequestParams) async throws -> [UInt8] {
        let model = try await store.getRegisteredModel(name: try p.requiredString("name"))
        return Self.json { $0.field("registered_model", model) }
    }

    func renameRegisteredModel(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        let newName = try p.requiredString("new_name")
        try RegistryValidation.modelName(newName)
        let model = try await store.renameRegisteredModel(name: name, newName: newName)
        try await access.renamedModel(from: name, to: newName)
        return Self.json { $0.field("registered_model", model) }
    }

    func updateRegisteredModel(_ p: RequestParams) async throws -> [UInt8] {
        let model = try await store.updateRegisteredModel(
            name: try p.requiredString("name"), description: try p.string("description"))
        return Self.json { $0.field("registered_model", model) }
    }

    func deleteRegisteredModel(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        try await store.deleteRegisteredModel(name: name)
        try await access.deletedModel(name)
        return Self.empty
    }

    func searchRegisteredModels(_ p: RequestParams) async throws -> [UInt8] {
        let max = try Self.maxResults(p, default: 100, limit: 1000, wording: .search(tooLarge: .typeHint))
        let filterText = try p.string("filter") ?? ""
        let filter = filterText.isBlank ? nil : try RegisteredModelFilter(parsing: filterText)
        var orderBy: [RegisteredModelOrder] = []
        try Validation.orderByCount(try p.strings("order_by").count)
        for o in try p.strings("order_by") { orderBy.append(try RegisteredModelOrder(parsing: o)) }
        if Set(orderBy.map { if case .name = $0 { "name" } else { "ts" } }).count != orderBy.count {
            throw MlflowError.invalid("`order_by` contains duplicate fields: \(try p.strings("order_by"))")
        }
        var query = RegisteredModelQuery(
            filter: filter, maxResults: max, orderBy: orderBy, offset: try PageToken.decode(try p.string("page_token")))
        query.visible = try await access.visibility(.registeredModel)
        let page = try await store.searchRegisteredModels(query)
        return Self.json { w in
            if !page.items.isEmpty { w.field("registered_models", page.items) }
            Self.writeToken(&w, page.nextOffset)
        }
    }

    func getLatestVersions(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        var stages: [ModelStage] = []
        for s in try p.strings("stages") {
            guard let stage = ModelStage(caseInsensitive: s) else { throw ModelStage.invalid(s) }
            stages.append(stage)
        }
        let versions = try await store.latestVersions(name: name, stages: stages)
        return Self.json { w in
            if !versions.isEmpty { w.field("model_versions", versions) }
        }
    }

    func setRegisteredModelTag(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        let tag = KeyValue(try p.requiredString("key"), try p.string("value") ?? "")
        try RegistryValidation.tag(tag)
        try await store.setRegisteredModelTag(name: name, tag: tag)
        return Self.empty
    }

    func deleteRegisteredModelTag(_ p: RequestParams) async throws -> [UInt8] {
        try await store.deleteRegisteredModelTag(name: try p.requiredString("name"), key: try p.requiredString("key"))
        return Self.empty
    }

    func setAlias(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        let alias = try p.requiredString("alias")
        try RegistryValidation.alias(alias)
        try await store.setAlias(name: name, alias: alias, version: version)
        return Self.empty
    }

    func deleteAlias(_ p: RequestParams) async throws -> [UInt8] {
        let alias = try p.requiredString("alias")
        try RegistryValidation.alias(alias)
        try await store.deleteAlias(name: try p.requiredString("name"), alias: alias)
        return Self.empty
    }

    func getAlias(_ p: RequestParams) async throws -> [UInt8] {
        let version = try await store.modelVersion(
            name: try p.requiredString("name"), alias: try p.requiredString("alias"))
        return Self.json { $0.field("model_version", version) }
    }

    func createModelVersion(_ p: RequestParams) async throws -> [UInt8] {
        let name = try p.requiredString("name")
        let source = try p.requiredString("source")
        let tags = try p.keyValues("tags")
        for t in tags { try RegistryValidation.tag(t) }
        let runId = try p.string("run_id")
        let modelId = try p.string("model_id")
        try await ModelVersionSource.check(
            source: source, runId: runId, modelId: modelId,
            runArtifactUri: { id in try await Self.ifExists { try await store.getRun(id: id).info.artifactUri } },
            modelArtifactUri: { id in
                try await Self.ifExists { try await store.getLoggedModel(id: id, allowDeleted: false).artifactUri }
            })
        let version = try await store.createModelVersion(
            NewModelVersion(
                name: name, source: source, runId: runId, tags: tags, runLink: try p.string("run_link"),
                description: try p.string("description"), modelId: modelId))
        return Self.json { $0.field("model_version", version) }
    }

    func getModelVersion(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        let v = try await store.modelVersion(name: name, version: version)
        return Self.json { $0.field("model_version", v) }
    }

    func updateModelVersion(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        let v = try await store.updateModelVersion(
            name: name, version: version, description: try p.string("description"))
        return Self.json { $0.field("model_version", v) }
    }

    func deleteModelVersion(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        try await store.deleteModelVersion(name: name, version: version)
        return Self.empty
    }

    func searchModelVersions(_ p: RequestParams) async throws -> [UInt8] {
        let max = try Self.maxResults(p, default: 10000, limit: 200_000, wording: .modelVersions)
        let filterText = try p.string("filter") ?? ""
        let filter = filterText.isBlank ? nil : try ModelVersionFilter(parsing: filterText)
        var orderBy: [ModelVersionOrderClause] = []
        try Validation.orderByCount(try p.strings("order_by").count)
        for o in try p.strings("order_by") { orderBy.append(try .parseModelVersion(o)) }
        var query = ModelVersionQuery(
            filter: filter, maxResults: max, orderBy: orderBy, offset: try PageToken.decode(try p.string("page_token")))
        query.visible = try await access.visibility(.registeredModel)
        let page = try await store.searchModelVersions(query)
        return Self.json { w in
            if !page.items.isEmpty { w.field("model_versions", page.items) }
            Self.writeToken(&w, page.nextOffset)
        }
    }

    func transitionStage(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        let stageText = try p.requiredString("stage")
        guard let stage = ModelStage(caseInsensitive: stageText) else { throw ModelStage.invalid(stageText) }
        let archive = try p.bool("archive_existing_versions") ?? false
        let v = try await store.transitionStage(name: name, version: version, stage: stage, archiveExisting: archive)
        return Self.json { $0.field("model_version", v) }
    }

    func getDownloadUri(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        let v = try await store.modelVersion(name: name, version: version)
        let resolved = try await ModelResolver(lookup: store).resolve(version: v)
        return Self.json { $0.field("artifact_uri", resolved.artifactUri) }
    }

    func setModelVersionTag(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        guard let value = try p.string("value") else { throw MlflowError.missing("value") }
        let tag = KeyValue(try p.requiredString("key"), value)
        try RegistryValidation.tag(tag)
        try await store.setModelVersionTag(name: name, version: version, tag: tag)
        return Self.empty
    }

    func deleteModelVersionTag(_ p: RequestParams) async throws -> [UInt8] {
        let (name, version) = try Self.nameAndVersion(p)
        try await store.deleteModelVersionTag(name: name, version: version, key: try p.requiredString("key"))
        return Self.empty
    }

    /// The value `body` reads, or nil when what it reads does not exist.
    static func ifExists<T>(_ body: () async throws -> T) async throws -> T? {
        do {
            return try await body()
        } catch let error as MlflowError where error.code == .resourceDoesNotExist {
            return nil
        }
    }
}
