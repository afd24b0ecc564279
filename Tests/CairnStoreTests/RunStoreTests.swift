import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Testing

@Suite("Runs in the store, on every backend")
struct RunStoreTests {
    func newRun(_ store: SQLTrackingStore, experiment: String = "0", start: Int64 = 1, name: String? = nil)
        async throws
        -> String
    {
        try await store.createRun(
            NewRun(experimentId: experiment, userId: "u", runName: name, startTime: start, tags: [])
        )
        .info.runId
    }

    @Test(arguments: StoreBackend.all) func createSetsNameTagAndArtifactUri(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let run = try await store.createRun(
                NewRun(
                    experimentId: "0", userId: "me", runName: nil, startTime: 5,
                    tags: [KeyValue("mlflow.runName", "tagged")]))
            #expect(run.info.runName == "tagged")
            #expect(run.info.artifactUri == "mlflow-artifacts:/0/\(run.info.runId)/artifacts")
            #expect(run.info.endTime == nil)
            let generated = try await store.createRun(
                NewRun(experimentId: "0", userId: "me", runName: nil, startTime: 5, tags: []))
            #expect(generated.tags.contains(KeyValue("mlflow.runName", generated.info.runName)))
            await #expect(throws: MlflowError.self) {
                _ = try await store.createRun(
                    NewRun(
                        experimentId: "0", userId: "me", runName: "a", startTime: 5,
                        tags: [KeyValue("mlflow.runName", "b")]))
            }
        }
    }

    @Test(arguments: StoreBackend.all) func paramsAreImmutableButIdempotent(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store)
            try await store.logParam(runId: id, param: KeyValue("p", "1"))
            try await store.logParam(runId: id, param: KeyValue("p", "1"))
            let error = await #expect(throws: MlflowError.self) {
                try await store.logParam(runId: id, param: KeyValue("p", "2"))
            }
            #expect(error?.message.contains("Changing param values is not allowed") == true)
            #expect(try await store.getRun(id: id).params == [KeyValue("p", "1")])
        }
    }

    @Test(arguments: StoreBackend.all) func failedBatchLeavesNothingBehind(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store)
            try await store.logParam(runId: id, param: KeyValue("p", "1"))
            await #expect(throws: MlflowError.self) {
                try await store.logBatch(
                    runId: id, metrics: [Metric(key: "m", value: 1, timestamp: 1, step: 0)],
                    params: [KeyValue("p", "2")],
                    tags: [KeyValue("t", "x")])
            }
            let run = try await store.getRun(id: id)
            #expect(run.metrics.isEmpty)
            #expect(!run.tags.contains { $0.key == "t" })
        }
    }

    @Test(arguments: StoreBackend.all) func latestMetricIsMaxOfStepTimestampValue(_ backend: StoreBackend) async throws
    {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store)
            let points = [
                Metric(key: "m", value: 5, timestamp: 100, step: 3),
                Metric(key: "m", value: 1, timestamp: 200, step: 2),
                Metric(key: "m", value: .nan, timestamp: 50, step: 4),
            ]
            try await store.logBatch(runId: id, metrics: points, params: [], tags: [])
            try await store.logBatch(runId: id, metrics: points, params: [], tags: [])  // client retry: no-op
            let latest = try #require(try await store.getRun(id: id).metrics.first)
            #expect(latest.step == 4 && latest.value.isNaN)
            let history = try await store.metricHistory(runId: id, key: "m", maxResults: 10, after: nil)
            #expect(history.items.map(\.step) == [2, 3, 4])
            #expect(history.nextOffset == nil)
            try await store.logMetric(runId: id, metric: Metric(key: "m", value: .infinity, timestamp: 1, step: 5))
            #expect(try await store.getRun(id: id).metrics.first?.value == .infinity)
        }
    }

    @Test(arguments: StoreBackend.all) func metricHistoryPages(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store)
            let points = (0..<250).map { Metric(key: "loss", value: Double($0), timestamp: Int64($0), step: Int64($0)) }
            try await store.logBatch(runId: id, metrics: points, params: [], tags: [])
            var after: Metric?
            var seen: [Int64] = []
            while true {
                let page = try await store.metricHistory(runId: id, key: "loss", maxResults: 100, after: after)
                seen += page.items.map(\.step)
                guard page.nextOffset != nil else { break }
                after = page.items.last
            }
            #expect(seen == (0..<250).map { Int64($0) })
        }
    }

    @Test(arguments: StoreBackend.all) func writesToDeletedRunsAreRejected(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store)
            try await store.setRunLifecycle(id: id, stage: .deleted)
            let error = await #expect(throws: MlflowError.self) {
                try await store.setTag(runId: id, tag: KeyValue("a", "b"))
            }
            #expect(error?.message == "The run \(id) must be in the 'active' state. Current state is deleted.")
            #expect(try await store.getRun(id: id).info.lifecycleStage == .deleted)
            try await store.setRunLifecycle(id: id, stage: .active)
            try await store.setTag(runId: id, tag: KeyValue("a", "b"))
        }
    }

    @Test(arguments: StoreBackend.all) func unknownRunIs404(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            await #expect(throws: MlflowError.noRun("deadbeef")) { _ = try await store.getRun(id: "deadbeef") }
        }
    }

    @Test(arguments: StoreBackend.all) func updateAndRenameViaTag(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store, name: "first")
            let info = try await store.updateRun(id: id, status: .finished, endTime: 99, runName: nil)
            #expect(info.status == .finished && info.endTime == 99 && info.runName == "first")
            try await store.setTag(runId: id, tag: KeyValue("mlflow.runName", "second"))
            #expect(try await store.getRun(id: id).info.runName == "second")
        }
    }

    @Test(arguments: StoreBackend.all) func searchFiltersOrdersAndPages(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let exp = try await store.createExperiment(name: "s", artifactLocation: nil, tags: [])
            var ids: [String] = []
            for i in 0..<30 {
                let id = try await newRun(store, experiment: exp, start: Int64(i))
                ids.append(id)
                var metrics = [Metric(key: "acc", value: Double(i) / 30, timestamp: 1, step: 0)]
                if i == 7 { metrics = [Metric(key: "acc", value: .nan, timestamp: 1, step: 0)] }
                if i == 8 { metrics = [] }
                try await store.logBatch(
                    runId: id, metrics: metrics, params: [KeyValue("parity", i % 2 == 0 ? "even" : "odd")],
                    tags: [KeyValue("group", "g\(i % 3)")])
            }
            let filter = try RunFilter(parsing: "metrics.acc > 0.5 and params.parity = 'even'")
            let page = try await store.searchRuns(
                RunQuery(experimentIds: [exp], filter: filter, orderBy: [.parseRun("metrics.acc DESC")]))
            #expect(page.items.map(\.info.runId) == [28, 26, 24, 22, 20, 18, 16].map { ids[$0] })

            // NaN and missing values sort last in both directions.
            for ascending in [true, false] {
                let all = try await store.searchRuns(
                    RunQuery(
                        experimentIds: [exp], orderBy: [RunOrderClause(field: .metric("acc"), ascending: ascending)]))
                let tail = Set(all.items.suffix(2).map(\.info.runId))
                #expect(tail == [ids[7], ids[8]])
            }

            // Default order: start_time DESC.
            let byDefault = try await store.searchRuns(RunQuery(experimentIds: [exp], maxResults: 3))
            #expect(byDefault.items.map(\.info.runId) == [ids[29], ids[28], ids[27]])

            // Paging covers every run exactly once.
            var seen: [String] = []
            var offset = 0
            while true {
                let p = try await store.searchRuns(RunQuery(experimentIds: [exp], maxResults: 7, offset: offset))
                seen += p.items.map(\.info.runId)
                guard let next = p.nextOffset else { break }
                offset = next
            }
            #expect(seen.count == 30 && Set(seen).count == 30)

            let tagLike = try await store.searchRuns(
                RunQuery(experimentIds: [exp], filter: try RunFilter(parsing: "tags.group LIKE 'G%'")))
            #expect(tagLike.items.isEmpty)  // LIKE is case-sensitive
            let tagIlike = try await store.searchRuns(
                RunQuery(experimentIds: [exp], filter: try RunFilter(parsing: "tags.group ILIKE 'G0'")))
            #expect(tagIlike.items.count == 10)
            let byIds = try await store.searchRuns(
                RunQuery(
                    experimentIds: [exp],
                    filter: try RunFilter(parsing: "attributes.run_id IN ('\(ids[1])', '\(ids[2])')")))
            #expect(Set(byIds.items.map(\.info.runId)) == [ids[1], ids[2]])
            let missingParam = try await store.searchRuns(
                RunQuery(experimentIds: [exp], filter: try RunFilter(parsing: "params.nope IS NULL")))
            #expect(missingParam.items.count == 30)
            let started = try await store.searchRuns(
                RunQuery(experimentIds: [exp], filter: try RunFilter(parsing: "attributes.start_time >= 25")))
            #expect(started.items.count == 5)
        }
    }

    @Test(arguments: StoreBackend.all) func datasetsAndModelIO(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await newRun(store)
            let ds = Dataset(name: "train", digest: "abc", sourceType: "local", source: "{}", schema: nil, profile: nil)
            try await store.logInputs(
                runId: id, datasets: [DatasetInput(tags: [KeyValue("mlflow.data.context", "training")], dataset: ds)],
                models: ["m-1"])
            try await store.logInputs(runId: id, datasets: [DatasetInput(tags: [], dataset: ds)], models: [])
            try await store.logOutputs(runId: id, models: [ModelReference(modelId: "m-2", step: 3)])
            let run = try await store.getRun(id: id)
            #expect(run.datasetInputs.count == 1)
            #expect(run.datasetInputs[0].tags == [KeyValue("mlflow.data.context", "training")])
            #expect(run.modelInputs == [ModelReference(modelId: "m-1")])
            #expect(run.modelOutputs == [ModelReference(modelId: "m-2", step: 3)])
            let found = try await store.searchRuns(
                RunQuery(experimentIds: ["0"], filter: try RunFilter(parsing: "datasets.context = 'training'")))
            #expect(found.items.map(\.info.runId) == [id])
        }
    }

    @Test(arguments: StoreBackend.all) func loggedModelsLifecycle(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let runId = try await newRun(store)
            let model = try await store.createLoggedModel(
                NewLoggedModel(
                    experimentId: "0", name: "model", modelType: nil, sourceRunId: runId, params: [KeyValue("a", "1")],
                    tags: []))
            #expect(model.status == .pending)
            #expect(model.artifactUri == "mlflow-artifacts:/0/models/\(model.modelId)/artifacts")
            try await store.logMetric(
                runId: runId, metric: Metric(key: "acc", value: 0.9, timestamp: 1, step: 0, modelId: model.modelId))
            let ready = try await store.finalizeLoggedModel(id: model.modelId, status: .ready)
            #expect(ready.status == .ready)
            #expect(ready.metrics.map(\.key) == ["acc"])
            try await store.setLoggedModelTags(id: model.modelId, tags: [KeyValue("t", "v")])
            let found = try await store.searchLoggedModels(
                LoggedModelQuery(
                    experimentIds: ["0"], filter: try LoggedModelFilter(parsing: "name = 'model' and metrics.acc > 0.5")
                ))
            #expect(found.items.map(\.modelId) == [model.modelId])
            try await store.deleteLoggedModelTag(id: model.modelId, key: "t")
            try await store.deleteLoggedModel(id: model.modelId)
            await #expect(throws: MlflowError.self) {
                _ = try await store.getLoggedModel(id: model.modelId, allowDeleted: false)
            }
            #expect(try await store.getLoggedModel(id: model.modelId, allowDeleted: true).modelId == model.modelId)
        }
    }
}
