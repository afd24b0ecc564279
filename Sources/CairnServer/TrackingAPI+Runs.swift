import CairnCore
import CairnStore

extension TrackingAPI {
    static let runIdFields = ["run_id", "run_uuid"]

    func createRun(_ p: RequestParams) async throws -> [UInt8] {
        let experimentId = try p.string("experiment_id") ?? "0"
        var tags: [KeyValue] = []
        for t in try p.keyValues("tags") { tags.append(try Validation.runTag(t)) }
        let userId = try p.string("user_id") ?? tags.last { $0.key == "mlflow.user" }?.value ?? ""
        let startTime = try p.int64("start_time") ?? WallClock.nowMillis()
        if let name = try p.string("run_name") { try Validation.runName(name) }
        let run = try await store.createRun(
            NewRun(
                experimentId: experimentId.isEmpty ? "0" : experimentId, userId: userId,
                runName: try p.string("run_name"), startTime: startTime, tags: tags))
        return Self.json { $0.field("run", run) }
    }

    func getRun(_ p: RequestParams) async throws -> [UInt8] {
        let run = try await store.getRun(id: try p.requiredString(anyOf: Self.runIdFields))
        return Self.json { $0.field("run", run) }
    }

    func updateRun(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString(anyOf: Self.runIdFields)
        let status = try p.runStatus("status")
        let runName = try p.string("run_name")
        if let runName { try Validation.runName(runName) }
        let info = try await store.updateRun(
            id: id, status: status, endTime: try p.int64("end_time"), runName: runName)
        return Self.json { $0.field("run_info", info) }
    }

    func deleteRun(_ p: RequestParams) async throws -> [UInt8] {
        try await store.setRunLifecycle(id: try p.requiredString("run_id"), stage: .deleted)
        return Self.empty
    }

    func restoreRun(_ p: RequestParams) async throws -> [UInt8] {
        try await store.setRunLifecycle(id: try p.requiredString("run_id"), stage: .active)
        return Self.empty
    }

    func searchRuns(_ p: RequestParams) async throws -> [UInt8] {
        let experimentIds = try p.strings("experiment_ids")
        let max = try Self.maxResults(
            p, default: Limits.searchRunsDefault, limit: Limits.searchRunsMax, wording: .search(tooLarge: .typeHint))
        let viewType =
            try p.viewType("run_view_type") ?? .activeOnly
        let filterText = try p.string("filter") ?? ""
        let filter = filterText.isBlank ? RunFilter(clauses: []) : try RunFilter(parsing: filterText)
        var orderBy: [RunOrderClause] = []
        try Validation.orderByCount(try p.strings("order_by").count)
        for o in try p.strings("order_by") { orderBy.append(try .parseRun(o)) }
        let offset = try PageToken.decode(try p.string("page_token"))
        if experimentIds.isEmpty { return Self.empty }
        let page = try await store.searchRuns(
            RunQuery(
                experimentIds: experimentIds, filter: filter, viewType: viewType, maxResults: max, orderBy: orderBy,
                offset: offset))
        // Up to about 2 kB per run of ten params, ten metrics and a few tags.
        return Self.json(capacity: 256 + page.items.count * 2048) { w in
            if !page.items.isEmpty { w.field("runs", page.items) }
            Self.writeToken(&w, page.nextOffset)
        }
    }

    /// Reads one metric message (from log-metric or an entry of log-batch).
    ///
    /// `path` prefixes the field names in "missing value" errors (`metrics[0].` in log-batch).
    static func metric(_ p: RequestParams, path: String = "") throws(MlflowError) -> Metric {
        if (try p.string("key") ?? "").isEmpty { throw .missing(path + "key") }
        let key = try p.requiredString("key")
        guard p.has("value") else { throw .missing(path + "value") }
        guard let value = try p.double("value") else { throw .missing(path + "value") }
        guard let timestamp = try p.int64("timestamp") else { throw .missing(path + "timestamp") }
        let m = Metric(
            key: key, value: value, timestamp: timestamp, step: try p.int64("step") ?? 0,
            modelId: try p.string("model_id").flatMap { $0.isEmpty ? nil : $0 },
            datasetName: try p.string("dataset_name").flatMap { $0.isEmpty ? nil : $0 },
            datasetDigest: try p.string("dataset_digest").flatMap { $0.isEmpty ? nil : $0 })
        try Validation.metric(m, path: path + "name")
        return m
    }

    func logMetric(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString(anyOf: Self.runIdFields)
        try await store.logMetric(runId: id, metric: try Self.metric(p))
        return Self.empty
    }

    func logParam(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString(anyOf: Self.runIdFields)
        let key = try p.requiredString("key")
        // An absent value is the empty string, as in the reference.
        let value = try p.string("value") ?? ""
        try await store.logParam(runId: id, param: try Validation.param(KeyValue(key, value)))
        return Self.empty
    }

    func setTag(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString(anyOf: Self.runIdFields)
        let key = try p.requiredString("key")
        guard let value = try p.string("value") else { throw MlflowError.missing("value") }
        try await store.setTag(runId: id, tag: try Validation.runTag(KeyValue(key, value)))
        return Self.empty
    }

    func deleteTag(_ p: RequestParams) async throws -> [UInt8] {
        try await store.deleteTag(runId: try p.requiredString("run_id"), key: try p.requiredString("key"))
        return Self.empty
    }

    func logBatch(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString(anyOf: Self.runIdFields)
        let metricObjects = try p.objects("metrics")
        let params = try p.keyValues("params", elementPaths: true)
        let tags = try p.keyValues("tags", elementPaths: true)
        try Validation.batchSizes(metrics: metricObjects.count, params: params.count, tags: tags.count)
        var metrics: [Metric] = []
        metrics.reserveCapacity(metricObjects.count)
        for (i, m) in metricObjects.enumerated() {
            metrics.append(try Self.metric(RequestParams(json: m), path: "metrics[\(i)]."))
        }
        try Validation.uniqueParamKeys(params)
        var cleanParams: [KeyValue] = []
        for (i, p) in params.enumerated() { cleanParams.append(try Validation.param(p, path: "params[\(i)].key")) }
        var cleanTags: [KeyValue] = []
        for (i, t) in tags.enumerated() { cleanTags.append(try Validation.runTag(t, path: "tags[\(i)].key")) }
        try await store.logBatch(runId: id, metrics: metrics, params: cleanParams, tags: cleanTags)
        return Self.empty
    }

    func logInputs(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("run_id")
        var inputs: [DatasetInput] = []
        for obj in try p.objects("datasets") {
            let entry = RequestParams(json: obj)
            guard let d = try entry.object("dataset") else { throw MlflowError.missing("dataset") }
            let dataset = Dataset(
                name: try d.requiredString("name"), digest: try d.requiredString("digest"),
                sourceType: try d.requiredString("source_type"), source: try d.requiredString("source"),
                schema: try d.string("schema"), profile: try d.string("profile"))
            let input = DatasetInput(tags: try entry.keyValues("tags"), dataset: dataset)
            try Validation.datasetInput(input)
            inputs.append(input)
        }
        var models: [String] = []
        for obj in try p.objects("models") { models.append(try RequestParams(json: obj).requiredString("model_id")) }
        try await store.logInputs(runId: id, datasets: inputs, models: models)
        return Self.empty
    }

    func logOutputs(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("run_id")
        var models: [ModelReference] = []
        for obj in try p.objects("models") {
            let entry = RequestParams(json: obj)
            guard let step = try entry.int64("step") else { throw MlflowError.missing("step") }
            models.append(ModelReference(modelId: try entry.requiredString("model_id"), step: step))
        }
        try await store.logOutputs(runId: id, models: models)
        return Self.empty
    }

    func getMetricHistory(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString(anyOf: Self.runIdFields)
        let key = try p.requiredString("metric_key")
        let max = try Self.maxResults(p, default: Int(Int32.max), limit: Int(Int32.max), wording: .history)
        let after = try HistoryToken.decode(try p.string("page_token"))
        let page = try await store.metricHistory(runId: id, key: key, maxResults: max, after: after)
        // Up to about 96 bytes per point besides the key: field names, value, timestamp and step.
        return Self.json(capacity: 256 + page.items.count * (96 + key.utf8.count)) { w in
            if !page.items.isEmpty { w.field("metrics", page.items) }
            if page.nextOffset != nil, let last = page.items.last {
                w.field("next_page_token", HistoryToken.encode(after: last))
            }
        }
    }

    func getMetricHistoryBulkInterval(_ p: RequestParams) async throws -> [UInt8] {
        let runIds = try p.strings("run_ids")
        let key = try p.requiredString("metric_key")
        if runIds.isEmpty { throw MlflowError.missing("run_ids") }
        if runIds.count > 100 {
            throw MlflowError.invalid(
                "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received \(runIds.count) run_ids."
                    + " See the API docs for more information about request parameters.")
        }
        let start = try p.int64("start_step")
        let end = try p.int64("end_step")
        if (start == nil) != (end == nil) {
            throw MlflowError.invalid("If either start step or end step are specified, both must be specified.")
        }
        if let start, let end, end < start {
            throw MlflowError.invalid(
                "end_step must be greater than start_step. Found start_step=\(start) and end_step=\(end).")
        }
        let max = try Self.maxResults(p, default: 100, limit: 2500, wording: .between)
        let all = try await store.metricHistories(runIds: runIds, key: key, startStep: start, endStep: end)
        let sampled = MetricSampling.sample(all, maxResults: max)
        return Self.json { w in
            if !sampled.isEmpty { w.field("metrics", sampled) }
        }
    }
}
