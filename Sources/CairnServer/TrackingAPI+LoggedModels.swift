import CairnCore
import CairnStore

extension TrackingAPI {
    func createLoggedModel(_ p: RequestParams) async throws -> [UInt8] {
        let experimentId = try p.requiredString("experiment_id")
        let params = try p.keyValues("params")
        let tags = try p.keyValues("tags")
        let model = try await store.createLoggedModel(
            NewLoggedModel(
                experimentId: experimentId, name: try p.string("name"), modelType: try p.string("model_type"),
                sourceRunId: try p.string("source_run_id"), params: params, tags: tags))
        return Self.json { $0.field("model", model) }
    }

    func getLoggedModel(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("model_id")
        let model = try await store.getLoggedModel(id: id, allowDeleted: try p.bool("allow_deleted") ?? false)
        return Self.json { $0.field("model", model) }
    }

    func finalizeLoggedModel(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("model_id")
        guard let statusText = try p.enumText("status"), !statusText.isEmpty else {
            throw MlflowError.missing("status")
        }
        guard let status = LoggedModelStatus(wire: statusText) else {
            throw MlflowError.invalid("Invalid value \(statusText) for parameter 'status' supplied.")
        }
        let model = try await store.finalizeLoggedModel(id: id, status: status)
        return Self.json { $0.field("model", model) }
    }

    func deleteLoggedModel(_ p: RequestParams) async throws -> [UInt8] {
        try await store.deleteLoggedModel(id: try p.requiredString("model_id"))
        return Self.empty
    }

    func setLoggedModelTags(_ p: RequestParams) async throws -> [UInt8] {
        let id = try p.requiredString("model_id")
        let tags = try p.keyValues("tags")
        try await store.setLoggedModelTags(id: id, tags: tags)
        let model = try await store.getLoggedModel(id: id, allowDeleted: false)
        return Self.json { $0.field("model", model) }
    }

    func deleteLoggedModelTag(_ p: RequestParams) async throws -> [UInt8] {
        try await store.deleteLoggedModelTag(id: try p.requiredString("model_id"), key: try p.requiredString("tag_key"))
        return Self.empty
    }

    func logLoggedModelParams(_ p: RequestParams) async throws -> [UInt8] {
        let params = try p.keyValues("params")
        for param in params { try Validation.validateKey(param.key, kind: "Param key") }
        try await store.logLoggedModelParams(id: try p.requiredString("model_id"), params: params)
        return Self.empty
    }

    func searchLoggedModels(_ p: RequestParams) async throws -> [UInt8] {
        let experimentIds = try p.strings("experiment_ids")
        // The reference treats 0 as "use the default".
        let max =
            try p.int64("max_results") == 0
            ? 50 : try Self.maxResults(p, default: 50, limit: Limits.searchRunsMax, wording: .search(tooLarge: .atMost))
        let filterText = try p.string("filter") ?? ""
        let filter = filterText.isBlank ? nil : try LoggedModelFilter(parsing: filterText)
        var datasets: [(name: String, digest: String?)] = []
        for obj in try p.objects("datasets") {
            let d = RequestParams(json: obj)
            datasets.append((try d.requiredString("dataset_name"), try d.string("dataset_digest")))
        }
        var orderBy: [LoggedModelOrder] = []
        try Validation.orderByCount(try p.objects("order_by").count)
        for obj in try p.objects("order_by") {
            let o = RequestParams(json: obj)
            orderBy.append(
                LoggedModelOrder(
                    fieldName: try o.requiredString("field_name"), ascending: try o.bool("ascending") ?? true,
                    datasetName: try o.string("dataset_name"), datasetDigest: try o.string("dataset_digest")))
        }
        let offset = try PageToken.decode(try p.string("page_token"))
        let page = try await store.searchLoggedModels(
            LoggedModelQuery(
                experimentIds: experimentIds, filter: filter, datasets: datasets, maxResults: max, orderBy: orderBy,
                offset: offset))
        return Self.json { w in
            if !page.items.isEmpty { w.field("models", page.items) }
            Self.writeToken(&w, page.nextOffset)
        }
    }
}
