import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL

/// Fills a store through the store API: one experiment of `runs` runs × 10 params × 10 metrics
/// (5 steps each), one sweep parent with 200 children, one run with a 100,000-point metric and a
/// registered model.
struct BenchSeed {
    let store: SQLTrackingStore
    let runs: Int

    struct Ids {
        var experiment: String
        var runs: [String]
        var longRun: String
        var parent: String
        var trials: [String]
    }

    func seed() async throws {
        let exp = try await store.createExperiment(name: "bench", artifactLocation: nil, tags: [])
        var rng = SplitMix(seed: 42)
        let parent = try await store.createRun(
            NewRun(experimentId: exp, userId: "bench", runName: "sweep-parent", startTime: 1, tags: []))
        for i in 0..<runs {
            var tags = [KeyValue("mlflow.source.git.commit", "c0ffee\(i % 97)")]
            if i < 200 { tags.append(KeyValue("mlflow.parentRunId", parent.info.runId)) }
            let run = try await store.createRun(
                NewRun(
                    experimentId: exp, userId: "user\(i % 7)", runName: "run-\(i)",
                    startTime: 1_700_000_000_000 + Int64(i) * 1000, tags: tags))
            var metrics: [Metric] = []
            for m in 0..<10 {
                for step in 0..<5 {
                    metrics.append(
                        Metric(key: "m\(m)", value: rng.next(), timestamp: Int64(i * 1000 + step), step: Int64(step)))
                }
            }
            let params = (0..<10).map { KeyValue("p\($0)", "v\(Int(rng.next() * 10))") }
            try await store.logBatch(runId: run.info.runId, metrics: metrics, params: params, tags: [])
            _ = try await store.updateRun(
                id: run.info.runId, status: .finished, endTime: 1_700_000_000_000 + Int64(i) * 1000 + 60_000,
                runName: nil)
            if i % 5000 == 0 { print("  \(i) runs") }
        }
        let long = try await store.createRun(
            NewRun(experimentId: exp, userId: "bench", runName: "long-series", startTime: 2_000_000_000_000, tags: []))
        for chunk in stride(from: 0, to: 100_000, by: 1000) {
            let points = (chunk..<chunk + 1000).map {
                Metric(key: "m0", value: 1 / Double($0 + 1) + rng.next() * 0.01, timestamp: Int64($0), step: Int64($0))
            }
            try await store.logBatch(runId: long.info.runId, metrics: points, params: [], tags: [])
        }
        _ = try await store.createRegisteredModel(name: "bench-model", tags: [], description: "Benchmark model")
        _ = try await store.createModelVersion(
            NewModelVersion(name: "bench-model", source: "runs:/\(long.info.runId)/model", runId: long.info.runId))
    }

    static func lookUp(_ store: SQLTrackingStore) async throws -> Ids {
        guard let e = try await store.getExperiment(name: "bench") else { throw BenchError.status("seed", 0) }
        let some = try await store.searchRuns(RunQuery(experimentIds: [e.experimentId], maxResults: 10)).items
        let long = try await store.searchRuns(
            RunQuery(
                experimentIds: [e.experimentId], filter: try RunFilter(parsing: "attributes.run_name = 'long-series'"))
        ).items
        let normal = some.map(\.info.runId).filter { $0 != long[0].info.runId }
        let parent = try await store.searchRuns(
            RunQuery(
                experimentIds: [e.experimentId], filter: try RunFilter(parsing: "attributes.run_name = 'sweep-parent'"))
        ).items[0].info.runId
        let trials = try await store.searchRuns(
            RunQuery(
                experimentIds: [e.experimentId],
                filter: try RunFilter(parsing: "tags.mlflow.parentRunId = '\(parent)'"), maxResults: 20)
        ).items.map(\.info.runId)
        return Ids(
            experiment: e.experimentId, runs: normal, longRun: long[0].info.runId, parent: parent, trials: trials)
    }
}

/// A small deterministic generator (SplitMix64) so every seeded store is the same.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A value in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
