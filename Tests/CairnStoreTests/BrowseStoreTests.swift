import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Testing

@Suite struct BrowseStoreTests {
    @Test(arguments: StoreBackend.all) func summariesCountRunsAndTrackActivity(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let a = try await store.createExperiment(name: "Alpha", artifactLocation: nil, tags: [])
            _ = try await store.createExperiment(name: "beta", artifactLocation: nil, tags: [])
            for i in 0..<3 {
                _ = try await store.createRun(
                    NewRun(
                        experimentId: a, userId: "u", runName: nil, startTime: 4_000_000_000_000 + Int64(i), tags: []))
            }
            let all = try await store.experimentSummaries(nameContains: nil, viewType: .activeOnly, limit: 10)
            #expect(all.first?.experiment.name == "Alpha")
            #expect(all.first?.runCount == 3)
            #expect(all.first?.lastActivity == 4_000_000_000_002)
            #expect(all.count == 3)
            let found = try await store.experimentSummaries(nameContains: "ALP", viewType: .activeOnly, limit: 10)
            #expect(found.map(\.experiment.name) == ["Alpha"])
            let quoted = try await store.experimentSummaries(nameContains: "a' OR 1=1 --", viewType: .all, limit: 10)
            #expect(quoted.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.all) func countKeysAndSampledHistory(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let e = try await store.createExperiment(name: "e", artifactLocation: nil, tags: [])
            var ids: [String] = []
            for i in 0..<5 {
                let run = try await store.createRun(
                    NewRun(experimentId: e, userId: "u", runName: nil, startTime: Int64(i), tags: []))
                ids.append(run.info.runId)
                try await store.logBatch(
                    runId: run.info.runId, metrics: [Metric(key: "m\(i % 2)", value: Double(i), timestamp: 0, step: 0)],
                    params: [KeyValue("p", "\(i)")], tags: [])
            }
            let filter = try RunFilter(parsing: "metrics.m0 >= 2")
            #expect(try await store.countRuns(RunQuery(experimentIds: [e], filter: filter)) == 2)
            #expect(try await store.countRuns(RunQuery(experimentIds: [e])) == 5)
            let keys = try await store.recentKeys(experimentId: e, sampleRuns: 2)
            #expect(keys.metrics == ["m0", "m1"])
            #expect(keys.params == ["p"])
            #expect(keys.tags == ["mlflow.runName"])
            let points = (0..<5000).map {
                Metric(key: "loss", value: Double($0), timestamp: Int64($0), step: Int64($0))
            }
            for chunk in stride(from: 0, to: points.count, by: 1000) {
                try await store.logBatch(
                    runId: ids[0], metrics: Array(points[chunk..<chunk + 1000]), params: [], tags: [])
            }
            let sampled = try await store.sampledMetricHistory(runId: ids[0], key: "loss", maxPoints: 100)
            #expect(sampled.count <= 102)
            #expect(sampled.first?.step == 0)
            #expect(sampled.last?.value == 4999)
            await #expect(throws: MlflowError.self) {
                _ = try await store.sampledMetricHistory(runId: "missing", key: "loss", maxPoints: 10)
            }
        }
    }
}

@Suite struct SampledHistoryTests {
    @Test(arguments: StoreBackend.all) func longSeriesAreReducedInsideSQLiteKeepingSpikesAndEnds(
        _ backend: StoreBackend
    ) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let e = try await store.createExperiment(name: "long", artifactLocation: nil, tags: [])
            let run = try await store.createRun(
                NewRun(experimentId: e, userId: "u", runName: nil, startTime: 0, tags: []))
            for chunk in stride(from: 0, to: 20_000, by: 1000) {
                let points = (chunk..<chunk + 1000).map { i in
                    Metric(key: "loss", value: i == 12_345 ? 99 : 1, timestamp: Int64(i), step: Int64(i))
                }
                try await store.logBatch(runId: run.info.runId, metrics: points, params: [], tags: [])
            }
            let sampled = try await store.sampledMetricHistory(runId: run.info.runId, key: "loss", maxPoints: 200)
            #expect(sampled.count <= 202)
            #expect(sampled.first?.step == 0)
            #expect(sampled.last?.step == 19_999)
            #expect(sampled.contains { $0.step == 12_345 && $0.value == 99 })
            #expect(zip(sampled, sampled.dropFirst()).allSatisfy { $0.step <= $1.step })
        }
    }
}
