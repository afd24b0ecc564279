import CairnCore

/// What is needed to create a model version.
public struct NewModelVersion: Sendable {
    public var name: String
    public var source: String
    public var runId: String?
    public var tags: [KeyValue]
    public var runLink: String?
    public var description: String?
    public var modelId: String?
    public var userId: String?

    /// Creates a version description.
    public init(
        name: String, source: String, runId: String? = nil, tags: [KeyValue] = [], runLink: String? = nil,
        description: String? = nil, modelId: String? = nil, userId: String? = nil
    ) {
        self.name = name
        self.source = source
        self.runId = runId
        self.tags = tags
        self.runLink = runLink
        self.description = description
        self.modelId = modelId
        self.userId = userId
    }
}

/// Parameters of a registered-models search.
public struct RegisteredModelQuery: Sendable {
    public var filter: RegisteredModelFilter?
    /// The registered models the caller may see (by name).
    public var visible: Visibility = .all
    public var maxResults: Int
    public var orderBy: [RegisteredModelOrder]
    public var offset: Int

    /// Creates a query.
    public init(
        filter: RegisteredModelFilter? = nil, maxResults: Int = 100, orderBy: [RegisteredModelOrder] = [],
        offset: Int = 0
    ) {
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.offset = offset
    }
}

/// Parameters of a model-versions search.
public struct ModelVersionQuery: Sendable {
    public var filter: ModelVersionFilter?
    /// The registered models whose versions the caller may see (by name).
    public var visible: Visibility = .all
    public var maxResults: Int
    public var orderBy: [ModelVersionOrderClause]
    public var offset: Int

    /// Creates a query.
    public init(
        filter: ModelVersionFilter? = nil, maxResults: Int = 10000, orderBy: [ModelVersionOrderClause] = [],
        offset: Int = 0
    ) {
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.offset = offset
    }
}

/// The model registry: registered models, their versions, tags, aliases and stages.
///
/// ```swift
/// _ = try await store.createRegisteredModel(name: "churn", tags: [], description: nil)
/// let v1 = try await store.createModelVersion(NewModelVersion(name: "churn", source: "models:/m-…"))
/// try await store.setAlias(name: "churn", alias: "champion", version: v1.version)
/// let champion = try await ModelResolver(lookup: store).resolve(try ModelURI(parsing: "models:/churn@champion"))
/// ```
public protocol RegistryStore: ModelLookup {
    func createRegisteredModel(name: String, tags: [KeyValue], description: String?) async throws -> RegisteredModel
    func getRegisteredModel(name: String) async throws -> RegisteredModel
    func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel
    func updateRegisteredModel(name: String, description: String?) async throws -> RegisteredModel
    /// Deletes a model, its versions, tags and aliases; the name can be reused.
    func deleteRegisteredModel(name: String) async throws
    func searchRegisteredModels(_ query: RegisteredModelQuery) async throws -> Page<RegisteredModel>
    func setRegisteredModelTag(name: String, tag: KeyValue) async throws
    func deleteRegisteredModelTag(name: String, key: String) async throws
    /// Points an alias at a version, moving it if it already exists.
    func setAlias(name: String, alias: String, version: Int64) async throws
    func deleteAlias(name: String, alias: String) async throws

    /// Creates the next version (max + 1) of a model.
    func createModelVersion(_ version: NewModelVersion) async throws -> ModelVersion
    func updateModelVersion(name: String, version: Int64, description: String?) async throws -> ModelVersion
    /// Deletes a version and the aliases pointing at it; its number is never reused.
    func deleteModelVersion(name: String, version: Int64) async throws
    func searchModelVersions(_ query: ModelVersionQuery) async throws -> Page<ModelVersion>
    /// Moves a version to a stage, optionally archiving the others in that stage.
    func transitionStage(name: String, version: Int64, stage: ModelStage, archiveExisting: Bool) async throws
        -> ModelVersion
    func setModelVersionTag(name: String, version: Int64, tag: KeyValue) async throws
    func deleteModelVersionTag(name: String, version: Int64, key: String) async throws
}

/// Everything the server stores: tracking data, the model registry and the browsing queries.
public typealias MetadataStore = TrackingStore & RegistryStore & BrowseStore & AuthStore
