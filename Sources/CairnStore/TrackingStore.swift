import CairnCore

/// One page of search results; `nextOffset` is nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextOffset: Int?

    /// Creates a page.
    public init(items: [Item], nextOffset: Int?) {
        self.items = items
        self.nextOffset = nextOffset
    }
}

/// Parameters of a runs search.
public struct RunQuery: Sendable {
    public var experimentIds: [String]
    public var filter: RunFilter
    public var viewType: ViewType
    public var maxResults: Int
    public var orderBy: [RunOrderClause]
    public var offset: Int

    /// Creates a runs query.
    public init(
        experimentIds: [String], filter: RunFilter = RunFilter(clauses: []), viewType: ViewType = .activeOnly,
        maxResults: Int = Limits.searchRunsDefault, orderBy: [RunOrderClause] = [], offset: Int = 0
    ) {
        self.experimentIds = experimentIds
        self.filter = filter
        self.viewType = viewType
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.offset = offset
    }
}

/// Parameters of an experiments search.
public struct ExperimentQuery: Sendable {
    public var filter: ExperimentFilter?
    /// The experiments the caller may see (by id).
    public var visible: Visibility = .all
    public var viewType: ViewType
    public var maxResults: Int
    public var orderBy: [ExperimentOrderClause]
    public var offset: Int

    /// Creates an experiments query.
    public init(
        filter: ExperimentFilter? = nil, viewType: ViewType = .activeOnly, maxResults: Int = 1000,
        orderBy: [ExperimentOrderClause] = [], offset: Int = 0
    ) {
        self.filter = filter
        self.viewType = viewType
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.offset = offset
    }
}

/// A structured logged-models sort key.
public struct LoggedModelOrder: Sendable {
    public var fieldName: String
    public var ascending: Bool
    public var datasetName: String?
    public var datasetDigest: String?

    /// Creates a sort key.
    public init(fieldName: String, ascending: Bool, datasetName: String? = nil, datasetDigest: String? = nil) {
        self.fieldName = fieldName
        self.ascending = ascending
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }
}

/// Parameters of a logged-models search.
public struct LoggedModelQuery: Sendable {
    public var experimentIds: [String]
    /// The experiments whose models the caller may see (by id).
    public var visible: Visibility = .all
    public var filter: LoggedModelFilter?
    public var datasets: [(name: String, digest: String?)]
    public var maxResults: Int
    public var orderBy: [LoggedModelOrder]
    public var offset: Int

    /// Creates a logged-models query.
    public init(
        experimentIds: [String], filter: LoggedModelFilter? = nil, datasets: [(name: String, digest: String?)] = [],
        maxResults: Int = 50, orderBy: [LoggedModelOrder] = [], offset: Int = 0
    ) {
        self.experimentIds = experimentIds
        self.filter = filter
        self.datasets = datasets
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.offset = offset
    }
}

/// What is needed to create a run.
public struct NewRun: Sendable {
    public var experimentId: String
    public var userId: String
    public var runName: String?
    public var startTime: Int64
    public var tags: [KeyValue]

    /// Creates a run description.
    public init(experimentId: String, userId: String, runName: String?, startTime: Int64, tags: [KeyValue]) {
        self.experimentId = experimentId
        self.userId = userId
        self.runName = runName
        self.startTime = startTime
        self.tags = tags
    }
}

/// What is needed to create a logged model.
public struct NewLoggedModel: Sendable {
    public var experimentId: String
    public var name: String?
    public var modelType: String?
    public var sourceRunId: String?
    public var params: [KeyValue]
    public var tags: [KeyValue]
    public var creatorId: String?

    /// Creates a logged model description.
    public init(
        experimentId: String, name: String?, modelType: String?, sourceRunId: String?, params: [KeyValue],
        tags: [KeyValue], creatorId: String? = nil
    ) {
        self.experimentId = experimentId
        self.name = name
        self.modelType = modelType
        self.sourceRunId = sourceRunId
        self.params = params
        self.tags = tags
        self.creatorId = creatorId
    }
}

/// The tracking store: experiments, runs, metrics, datasets and logged models.
///
/// Every method is an atomic primitive; conveniences such as ``logMetric(runId:metric:)`` are
/// built on them in an extension. Errors are ``MlflowError`` values with the reference codes.
///
/// ```swift
/// let store = try StoreFactory.open(uri: "sqlite:///cairn.db", defaultArtifactRoot: "mlflow-artifacts:/")
/// let id = try await store.createExperiment(name: "demo", artifactLocation: nil, tags: [])
/// let run = try await store.createRun(NewRun(experimentId: id, userId: "me", runName: nil,
///                                            startTime: 0, tags: []))
/// try await store.logBatch(runId: run.info.runId,
///                          metrics: [Metric(key: "loss", value: 0.5, timestamp: 0, step: 0)],
///                          params: [], tags: [])
/// ```
public protocol TrackingStore: Sendable {
    // MARK: Experiments
    func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) async throws -> String
    func getExperiment(id: String) async throws -> Experiment
    /// Returns nil when no experiment (active or deleted) has that name.
    func getExperiment(name: String) async throws -> Experiment?
    func searchExperiments(_ query: ExperimentQuery) async throws -> Page<Experiment>
    func renameExperiment(id: String, newName: String) async throws
    /// Soft-deletes or restores an experiment together with its runs.
    func setExperimentLifecycle(id: String, stage: LifecycleStage) async throws
    func setExperimentTag(id: String, tag: KeyValue) async throws
    func deleteExperimentTag(id: String, key: String) async throws

    // MARK: Runs
    func createRun(_ run: NewRun) async throws -> Run
    func getRun(id: String) async throws -> Run
    /// The experiment a run belongs to (it never changes), without loading the run.
    func experimentId(ofRun id: String) async throws -> String
    func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo
    /// Soft-deletes or restores a run.
    func setRunLifecycle(id: String, stage: LifecycleStage) async throws
    func searchRuns(_ query: RunQuery) async throws -> Page<Run>
    /// Logs metrics, params and tags atomically. Exact duplicate metric points are ignored.
    func logBatch(runId: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) async throws
    func deleteTag(runId: String, key: String) async throws
    func logInputs(runId: String, datasets: [DatasetInput], models: [String]) async throws
    func logOutputs(runId: String, models: [ModelReference]) async throws
    /// One page of a metric's history in (step, timestamp, value) order, starting after `after`
    /// (the last point of the previous page) so each page is an index seek, not a scan.
    func metricHistory(runId: String, key: String, maxResults: Int, after: Metric?) async throws -> Page<Metric>
    /// The full history of `key` for each run, with `runId` set, ordered by run then step.
    func metricHistories(runIds: [String], key: String, startStep: Int64?, endStep: Int64?) async throws -> [Metric]

    // MARK: Datasets
    /// The distinct (experiment, dataset name, digest, input context) of the datasets that runs of
    /// these experiments logged as inputs, at most `limit`; invalid experiment ids are an error.
    func datasetSummaries(experimentIds: [String], limit: Int) async throws -> [DatasetSummary]

    // MARK: Logged models
    func createLoggedModel(_ model: NewLoggedModel) async throws -> LoggedModel
    func getLoggedModel(id: String, allowDeleted: Bool) async throws -> LoggedModel
    func finalizeLoggedModel(id: String, status: LoggedModelStatus) async throws -> LoggedModel
    func deleteLoggedModel(id: String) async throws
    func searchLoggedModels(_ query: LoggedModelQuery) async throws -> Page<LoggedModel>
    func setLoggedModelTags(id: String, tags: [KeyValue]) async throws
    func deleteLoggedModelTag(id: String, key: String) async throws
    func logLoggedModelParams(id: String, params: [KeyValue]) async throws
}

extension TrackingStore {
    /// Logs one metric point.
    public func logMetric(runId: String, metric: Metric) async throws {
        try await logBatch(runId: runId, metrics: [metric], params: [], tags: [])
    }

    /// Logs one parameter.
    public func logParam(runId: String, param: KeyValue) async throws {
        try await logBatch(runId: runId, metrics: [], params: [param], tags: [])
    }

    /// Sets one run tag.
    public func setTag(runId: String, tag: KeyValue) async throws {
        try await logBatch(runId: runId, metrics: [], params: [], tags: [tag])
    }

    /// Soft-deletes an experiment and its runs.
    public func deleteExperiment(id: String) async throws {
        try await setExperimentLifecycle(id: id, stage: .deleted)
    }

    /// Restores an experiment and its runs.
    public func restoreExperiment(id: String) async throws {
        try await setExperimentLifecycle(id: id, stage: .active)
    }
}
