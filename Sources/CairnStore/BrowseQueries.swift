import CairnCore

/// An experiment with the figures the experiments list shows.
public struct ExperimentSummary: Sendable {
    public var experiment: Experiment
    /// Number of active runs.
    public var runCount: Int
    /// Latest of the experiment's update time and its runs' start and end times, ms since the epoch.
    public var lastActivity: Int64

    /// Creates a summary.
    public init(experiment: Experiment, runCount: Int, lastActivity: Int64) {
        self.experiment = experiment
        self.runCount = runCount
        self.lastActivity = lastActivity
    }
}

/// The metric, param and tag keys seen on an experiment's recent runs.
public struct RunKeys: Sendable, Equatable {
    public var metrics: [String]
    public var params: [String]
    public var tags: [String]

    /// Creates a key set.
    public init(metrics: [String], params: [String], tags: [String]) {
        self.metrics = metrics
        self.params = params
        self.tags = tags
    }
}

/// Read-only queries for browsing: summaries, counts, key lists and chart-sized histories.
///
/// ```swift
/// let rows = try await store.experimentSummaries(nameContains: "mnist", viewType: .activeOnly, limit: 100)
/// let n = try await store.countRuns(RunQuery(experimentIds: ["1"]))
/// let curve = try await store.sampledMetricHistory(runId: id, key: "loss", maxPoints: 400)
/// ```
public protocol BrowseStore: Sendable {
    /// Experiments whose name contains `nameContains` (case-insensitive), newest activity first.
    func experimentSummaries(nameContains: String?, viewType: ViewType, limit: Int) async throws
        -> [ExperimentSummary]
    /// How many runs match the query's experiments, view type and filter (paging and order ignored).
    func countRuns(_ query: RunQuery) async throws -> Int
    /// Distinct keys over the experiment's `sampleRuns` most recently started runs, sorted.
    func recentKeys(experimentId: String, sampleRuns: Int) async throws -> RunKeys
    /// A metric's history in step order, down-sampled to about `maxPoints` points that keep each
    /// stretch's lowest and highest values (see ``SeriesDownsampler``); NaN points are left out.
    func sampledMetricHistory(runId: String, key: String, maxPoints: Int) async throws -> [SeriesPoint]
}
