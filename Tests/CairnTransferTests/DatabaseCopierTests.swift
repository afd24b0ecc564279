import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Synchronization
import Testing

@testable import CairnTransfer

/// Fills a store with every kind of row the schema has.
func populate(_ store: SQLTrackingStore, runs: Int, points: Int) async throws {
    let exp = try await store.createExperiment(name: "copy-me", artifactLocation: nil, tags: [KeyValue("team", "a")])
    for r in 0..<runs {
        let run = try await store.createRun(
            NewRun(experimentId: exp, userId: "u", runName: "r\(r)", startTime: Int64(r), tags: [KeyValue("t", "x")]))
        let metrics = (0..<points).map { Metric(key: "loss", value: 1 / Double($0 + 1), timestamp: 5, step: Int64($0)) }
        try await store.logBatch(
            runId: run.info.runId, metrics: metrics + [Metric(key: "odd", value: .nan, timestamp: 1, step: 0)],
            params: [KeyValue("alpha", "\(r)")], tags: [])
        let data = Dataset(name: "d", digest: "1", sourceType: "code", source: "{}", schema: nil, profile: nil)
        try await store.logInputs(
            runId: run.info.runId,
            datasets: [DatasetInput(tags: [KeyValue("mlflow.data.context", "train")], dataset: data)],
            models: [])
    }
    _ = try await store.createRegisteredModel(name: "m", tags: [KeyValue("k", "v")], description: "d")
    _ = try await store.createModelVersion(NewModelVersion(name: "m", source: "s3://b/m", tags: [KeyValue("a", "b")]))
    try await store.setAlias(name: "m", alias: "champion", version: 1)
}

@Suite struct DatabaseCopierTests {
    @Test func copiesEveryTableWithEqualCountsAndReadableRuns() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let store = try await StoreFactory.open(uri: dir.sqlite("src.db"), defaultArtifactRoot: "mlflow-artifacts:/")
        try await populate(store, runs: 3, points: 40)
        let target = try await StoreFactory.database(uri: dir.sqlite("dst.db"))
        var seen: [DatabaseCopier.Progress] = []
        let collected = Collected()
        let report = try await DatabaseCopier(batchSize: 7).copy(from: store.database, to: target) { collected.add($0) }
        seen = collected.items
        #expect(report.mismatches.isEmpty)
        #expect(report.tables.map(\.table) == CairnTable.all.map(\.name))
        let byName = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0) })
        #expect(byName["metrics"]?.source == 3 * 41)
        #expect(byName["metrics"]?.inserted == 3 * 41)
        #expect(byName["experiments"]?.source == 2)
        #expect(byName["registered_model_aliases"]?.target == 1)
        #expect(byName["input_tags"]?.target == 3)
        #expect(seen.last?.rowsDone == report.totalRows)
        #expect(seen.allSatisfy { $0.totalRows == report.totalRows })

        let copy = try await SQLTrackingStore.open(database: target, defaultArtifactRoot: "mlflow-artifacts:/")
        let runs = try await store.searchRuns(RunQuery(experimentIds: ["1"]))
        for original in runs.items {
            let copied = try await copy.getRun(id: original.info.runId)
            // Compared as text: the NaN point makes `==` false on equal runs.
            #expect(String(describing: copied) == String(describing: original))
        }
        #expect(try await copy.modelVersion(name: "m", alias: "champion").version == 1)
        // New ids continue after the copied ones.
        let next = try await copy.createExperiment(name: "after-copy", artifactLocation: nil, tags: [])
        #expect(next == "2")
        #expect(try await copy.createModelVersion(NewModelVersion(name: "m", source: "s3://b/m2")).version == 2)
    }

    @Test func resumesAfterAPartialCopyAndInsertsOnlyWhatIsMissing() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let store = try await StoreFactory.open(uri: dir.sqlite("src.db"), defaultArtifactRoot: "mlflow-artifacts:/")
        try await populate(store, runs: 2, points: 30)
        let target = try await StoreFactory.database(uri: dir.sqlite("dst.db"))
        // An interrupted copy: the first tables only, and part of the metrics gone again.
        let partial = try DatabaseCopier(batchSize: 5, tables: Array(CairnTable.all.prefix(6)))
        _ = try await partial.copy(from: store.database, to: target)
        try await target.write { s in try s.execute("DELETE FROM metrics WHERE step >= 20") }
        let report = try await DatabaseCopier(batchSize: 5).copy(from: store.database, to: target)
        let byName = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0) })
        #expect(report.mismatches.isEmpty)
        #expect(byName["runs"]?.inserted == 0)
        #expect(byName["params"]?.inserted == 0)
        #expect(byName["metrics"]?.inserted == 2 * 10)
        #expect(byName["latest_metrics"]?.inserted == 4)
        // A third run changes nothing.
        let again = try await DatabaseCopier().copy(from: store.database, to: target)
        #expect(again.tables.allSatisfy { $0.inserted == 0 && $0.matches })
    }

    @Test func reportsAMismatchWhenTheTargetHoldsOtherRows() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let store = try await StoreFactory.open(uri: dir.sqlite("src.db"), defaultArtifactRoot: "mlflow-artifacts:/")
        try await populate(store, runs: 1, points: 3)
        let other = try await StoreFactory.open(uri: dir.sqlite("dst.db"), defaultArtifactRoot: "mlflow-artifacts:/")
        _ = try await other.createExperiment(name: "already-here", artifactLocation: nil, tags: [])
        _ = try await other.createExperiment(name: "also-here", artifactLocation: nil, tags: [])
        let report = try await DatabaseCopier().copy(from: store.database, to: other.database)
        let experiments = report.tables.first { $0.table == "experiments" }
        #expect(experiments?.source == 2)
        #expect(experiments?.target == 3)
        #expect(report.mismatches.map(\.table).first == "experiments")
    }

    @Test func refusesABatchSizeOfZero() {
        #expect(throws: TransferError.self) { try DatabaseCopier(batchSize: 0) }
    }
}

/// Progress reports collected from a `@Sendable` callback.
final class Collected: Sendable {
    private let storage = Mutex<[DatabaseCopier.Progress]>([])
    func add(_ p: DatabaseCopier.Progress) { storage.withLock { $0.append(p) } }
    var items: [DatabaseCopier.Progress] { storage.withLock { $0 } }
}
