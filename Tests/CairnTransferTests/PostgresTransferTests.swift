import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Testing

@testable import CairnTransfer

/// The PostgreSQL server named by `CAIRN_TEST_POSTGRES_URL` (the test script starts one), if any.
let postgresURL = ProcessInfo.processInfo.environment["CAIRN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

/// A fresh database on the test server for `body`, dropped afterwards.
func withPostgresDatabase(_ body: (String) async throws -> Void) async throws {
    guard let server = postgresURL else { return }
    let name = "cairn_transfer_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
    try psql(server, "CREATE DATABASE \(name)")
    defer { try? psql(server, "DROP DATABASE \(name) WITH (FORCE)") }
    var base = server
    var query = ""
    if let q = base.firstIndex(of: "?") {
        query = String(base[q...])
        base = String(base[..<q])
    }
    let slash = base.lastIndex(of: "/") ?? base.endIndex
    try await body(String(base[...slash]) + name + query)
}

/// Runs one command with `psql` (database creation cannot run inside a transaction).
func psql(_ uri: String, _ command: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", uri, "-v", "ON_ERROR_STOP=1", "-q", "-c", command]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw TransferError.conflict("psql failed: \(command)") }
}

@Suite(.enabled(if: postgresURL != nil, "CAIRN_TEST_POSTGRES_URL names no PostgreSQL server"))
struct PostgresTransferTests {
    @Test func copiesSQLiteToPostgresAndBack() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let store = try await StoreFactory.open(uri: dir.sqlite("src.db"), defaultArtifactRoot: "mlflow-artifacts:/")
        try await populate(store, runs: 3, points: 25)
        try await withPostgresDatabase { uri in
            let target = try await StoreFactory.database(uri: uri)
            let report = try await DatabaseCopier(batchSize: 10).copy(from: store.database, to: target)
            #expect(report.mismatches.isEmpty)
            #expect(report.tables.first { $0.table == "metrics" }?.target == 3 * 26)
            let again = try await DatabaseCopier().copy(from: store.database, to: target)
            #expect(again.tables.allSatisfy { $0.inserted == 0 && $0.matches })
            let copy = try await SQLTrackingStore.open(database: target, defaultArtifactRoot: "mlflow-artifacts:/")
            for original in try await store.searchRuns(RunQuery(experimentIds: ["1"])).items {
                let copied = try await copy.getRun(id: original.info.runId)
                #expect(String(describing: copied) == String(describing: original))
            }
            // The sequences moved past the copied ids.
            #expect(try await copy.createExperiment(name: "after-copy", artifactLocation: nil, tags: []) == "2")
            _ = try await copy.createRegisteredModel(name: "new-after-copy", tags: [], description: nil)

            let back = try await StoreFactory.database(uri: dir.sqlite("back.db"))
            let returned = try await DatabaseCopier(batchSize: 7).copy(from: target, to: back)
            #expect(returned.mismatches.isEmpty)
            #expect(returned.tables.first { $0.table == "experiments" }?.target == 3)
            try await target.close()
        }
    }

    @Test func importsMLflowIntoPostgresOnce() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let mlruns = try MLflowFixture.write(in: dir)
        let mlflowDB = try await writeMLflowDatabase(dir)
        try await withPostgresDatabase { uri in
            let target = try await StoreFactory.database(uri: uri)
            let first = try await MLflowImporter.open(from: mlruns, into: target, artifacts: dir.path + "/art").run()
            #expect(first.count("runs").imported == 2 && first.count("model versions").imported == 2)
            let again = try await MLflowImporter.open(from: mlruns, into: target, artifacts: dir.path + "/art").run()
            #expect(again.counts.allSatisfy { $0.imported == 0 })
            let store = try await SQLTrackingStore.open(database: target, defaultArtifactRoot: "mlflow-artifacts:/")
            let history = try await store.metricHistory(
                runId: MLflowFixture.run, key: "odd", maxResults: 10, after: nil)
            #expect(history.items.contains { $0.value.isNaN } && history.items.contains { $0.value == .infinity })
            #expect(try await store.createModelVersion(NewModelVersion(name: "clf", source: "s3://x")).version == 4)
            // The SQL source's experiment 0 is the same Default; its run lands beside the file store's.
            let fromSQL = try await MLflowImporter.open(from: mlflowDB, into: target, artifacts: nil).run()
            #expect(fromSQL.count("runs").imported == 1 && fromSQL.count("experiments").skipped == 1)
            #expect(try await store.createExperiment(name: "next", artifactLocation: nil, tags: []) == "10")
            try await target.close()
        }
    }
}
