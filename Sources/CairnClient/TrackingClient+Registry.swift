import CairnCore
import NIOHTTP1

extension TrackingClient: ModelLookup {
    /// A registered model by name.
    public func registeredModel(name: String) async throws -> RegisteredModel {
        let json = try await call(.GET, "registered-models/get", query: [("name", name)])
        return try Self.decode(json["registered_model"], as: RegisteredModel.init(json:))
    }

    /// Every registered model matching `filter`, following page tokens.
    public func searchRegisteredModels(filter: String = "", orderBy: [String] = ["name ASC"]) async throws
        -> [RegisteredModel]
    {
        var result: [RegisteredModel] = []
        var token: String?
        repeat {
            var query: [(String, String)] = [("max_results", "1000")]
            if !filter.isEmpty { query.append(("filter", filter)) }
            for o in orderBy { query.append(("order_by", o)) }
            if let token { query.append(("page_token", token)) }
            let json = try await call(.GET, "registered-models/search", query: query)
            result += json.list("registered_models").compactMap(RegisteredModel.init(json:))
            token = json["next_page_token"]?.text
        } while token != nil
        return result
    }

    /// Every version matching `filter`, following page tokens.
    public func searchModelVersions(filter: String, orderBy: [String] = ["version_number DESC"]) async throws
        -> [ModelVersion]
    {
        var result: [ModelVersion] = []
        var token: String?
        repeat {
            var query: [(String, String)] = [("filter", filter), ("max_results", "10000")]
            for o in orderBy { query.append(("order_by", o)) }
            if let token { query.append(("page_token", token)) }
            let json = try await call(.GET, "model-versions/search", query: query)
            result += json.list("model_versions").compactMap(ModelVersion.init(json:))
            token = json["next_page_token"]?.text
        } while token != nil
        return result
    }

    /// Creates a registered model; an existing one is not an error.
    public func ensureRegisteredModel(name: String) async throws {
        do {
            _ = try await post("registered-models/create") { $0.field("name", name) }
        } catch let e as MlflowError where e.code == .resourceAlreadyExists {
            return
        }
    }

    /// Creates a model version.
    public func createModelVersion(name: String, source: String, runId: String?, modelId: String?) async throws
        -> ModelVersion
    {
        let json = try await post("model-versions/create") { w in
            w.field("name", name)
            w.field("source", source)
            w.field("run_id", runId)
            w.field("model_id", modelId)
        }
        return try Self.decode(json["model_version"], as: ModelVersion.init(json:))
    }

    /// Sets a tag on a model version (replacing its value).
    public func setModelVersionTag(name: String, version: Int64, key: String, value: String) async throws {
        _ = try await post("model-versions/set-tag") { w in
            w.field("name", name)
            w.field("version", String(version))
            w.field("key", key)
            w.field("value", value)
        }
    }

    /// Points `alias` at `version`.
    public func setAlias(name: String, alias: String, version: Int64) async throws {
        _ = try await post("registered-models/alias") { w in
            w.field("name", name)
            w.field("alias", alias)
            w.field("version", String(version))
        }
    }

    /// Moves a version to `stage`.
    public func transitionStage(name: String, version: Int64, stage: ModelStage, archiveExisting: Bool) async throws
        -> ModelVersion
    {
        let json = try await post("model-versions/transition-stage") { w in
            w.field("name", name)
            w.field("version", String(version))
            w.field("stage", stage.rawValue)
            w.field("archive_existing_versions", archiveExisting)
        }
        return try Self.decode(json["model_version"], as: ModelVersion.init(json:))
    }

    public func modelVersion(name: String, version: Int64) async throws -> ModelVersion {
        let json = try await call(.GET, "model-versions/get", query: [("name", name), ("version", String(version))])
        return try Self.decode(json["model_version"], as: ModelVersion.init(json:))
    }

    public func modelVersion(name: String, alias: String) async throws -> ModelVersion {
        let json = try await call(.GET, "registered-models/alias", query: [("name", name), ("alias", alias)])
        return try Self.decode(json["model_version"], as: ModelVersion.init(json:))
    }

    public func latestVersions(name: String, stages: [ModelStage]) async throws -> [ModelVersion] {
        var query = [("name", name)]
        for s in stages { query.append(("stages", s.rawValue)) }
        let json = try await call(.GET, "registered-models/get-latest-versions", query: query)
        return json.list("model_versions").compactMap(ModelVersion.init(json:))
    }

    public func loggedModelArtifactUri(id: String) async throws -> String {
        let json = try await call(.GET, "logged-models/\(id)")
        guard let uri = json["model"]?["info"]?["artifact_uri"]?.text else {
            throw MlflowError(.internalError, "Malformed logged model in the server's response.")
        }
        return uri
    }

    public func runArtifactUri(runId: String) async throws -> String {
        try await run(id: runId).info.artifactUri
    }

    public func loggedModelId(runId: String, name: String) async throws -> String? {
        let run = try await run(id: runId)
        return try await loggedModel(runId: runId, experimentId: run.info.experimentId, name: name)
    }

    /// A run by id.
    public func run(id: String) async throws -> Run {
        let json = try await call(.GET, "runs/get", query: [("run_id", id)])
        return try Self.decode(json["run"], as: Run.init(json:))
    }

    /// The logged model a run produced under `name` (the `name=` of `log_model`), if any.
    public func loggedModel(runId: String, experimentId: String, name: String) async throws -> String? {
        let json = try await post("logged-models/search") { w in
            w.key("experiment_ids")
            w.array { $0.value(experimentId) }
            w.field("filter", "name = '\(name.replacingOccurrences(of: "'", with: "\\'"))'")
            w.field("max_results", Int64(1000))
        }
        for m in json.list("models") where m["info"]?["source_run_id"]?.text == runId {
            return m["info"]?["model_id"]?.text
        }
        return nil
    }
}

extension TrackingClient {
    /// Registers `modelUri` (`runs:/<run>/<path>` or `models:/m-<id>`) as a new version of `name`,
    /// creating the registered model when needed and optionally pointing `alias` at it.
    public func register(modelUri: String, name: String, alias: String?) async throws -> ModelVersion {
        var source = modelUri
        var runId: String?
        var modelId: String?
        switch try ModelURI(parsing: modelUri) {
        case .run(let id, let path):
            let run = try await run(id: id)
            runId = id
            // MLflow 3 models are logged models; older ones are plain run artifacts.
            if let found = try await loggedModel(
                runId: id, experimentId: run.info.experimentId, name: path.isEmpty ? "model" : path)
            {
                modelId = found
                source = "models:/\(found)"
            }
        case .loggedModel(let id):
            modelId = id
        default:
            throw MlflowError.invalid("Register runs:/<run_id>/<path> or models:/m-<id> URIs, not '\(modelUri)'.")
        }
        try await ensureRegisteredModel(name: name)
        let version = try await createModelVersion(name: name, source: source, runId: runId, modelId: modelId)
        if let alias { try await setAlias(name: name, alias: alias, version: version.version) }
        return version
    }
}
