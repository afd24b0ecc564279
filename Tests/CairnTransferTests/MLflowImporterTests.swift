import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Testing

@testable import CairnTransfer

@Suite struct MLflowImporterTests {
    @Test func importsAFileStoreKeepingIdsAndCopyingArtifacts() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let mlruns = try MLflowFixture.write(in: dir)
        let target = try await StoreFactory.database(uri: dir.sqlite("cairn.db"))
        let importer = try await MLflowImporter.open(from: mlruns, into: target, artifacts: dir.path + "/artifacts")
        let summary = try await importer.run()
        #expect(summary.count("experiments").imported == 3)
        #expect(summary.count("runs").imported == 2)
        #expect(summary.count("metric points").imported == 7)
        #expect(summary.count("logged models").imported == 1)
        #expect(summary.count("model versions").imported == 2)
        #expect(summary.count("aliases").imported == 1)
        #expect(summary.artifactFilesCopied == 2)

        let store = try await SQLTrackingStore.open(database: target, defaultArtifactRoot: "mlflow-artifacts:/")
        let vision = try await store.getExperiment(id: "7")
        #expect(vision.name == "vision" && vision.artifactLocation == "mlflow-artifacts:/7")
        #expect(try await store.getExperiment(id: "9").lifecycleStage == .deleted)
        let run = try await store.getRun(id: MLflowFixture.run)
        #expect(run.info.experimentId == "7" && run.info.runName == "trained" && run.info.status == .finished)
        #expect(run.info.artifactUri == "mlflow-artifacts:/7/\(MLflowFixture.run)/artifacts")
        #expect(run.params.contains(KeyValue("nested/key", "deep")))
        // Latest values as Cairn computes them: the largest (step, timestamp, value).
        let latest = Dictionary(uniqueKeysWithValues: run.metrics.map { ($0.key, $0.value) })
        #expect(latest["loss"] == 0.25)
        #expect(latest["odd"] == -.infinity)
        let history = try await store.metricHistory(runId: MLflowFixture.run, key: "odd", maxResults: 10, after: nil)
        #expect(history.items.count == 4)
        #expect(history.items.contains { $0.value.isNaN })
        #expect(history.items.contains { $0.value == .infinity })
        let copied = dir.path + "/artifacts/7/\(MLflowFixture.run)/artifacts/model/MLmodel"
        #expect(FileManager.default.fileExists(atPath: copied))

        let model = try await store.getLoggedModel(id: MLflowFixture.model, allowDeleted: false)
        #expect(model.status == .ready && model.artifactUri.hasPrefix("mlflow-artifacts:/7/models/"))
        #expect(model.metrics.count == 2)
        let v1 = try await store.modelVersion(name: "clf", alias: "champion")
        #expect(v1.version == 1 && v1.source == "models:/\(MLflowFixture.model)")
        let v2 = try await store.modelVersion(name: "clf", version: 2)
        #expect(v2.currentStage == .production)
        #expect(v2.source == "mlflow-artifacts:/7/\(MLflowFixture.run)/artifacts/model")
        // Version 3 was deleted in MLflow: its number is not given again.
        #expect(try await store.createModelVersion(NewModelVersion(name: "clf", source: "s3://x")).version == 4)

        // A second import finds everything and writes nothing.
        let again = try await importer.run()
        #expect(again.counts.allSatisfy { $0.imported == 0 })
        #expect(again.count("runs").skipped == 2 && again.count("experiments").skipped == 3)
        #expect(again.artifactFilesCopied == 0)

        // An import interrupted before a run's transaction: only that run is written on the next pass.
        try await target.write { s in try s.execute("DELETE FROM runs WHERE run_uuid = \(MLflowFixture.deletedRun)") }
        let resumed = try await importer.run()
        #expect(resumed.count("runs").imported == 1 && resumed.count("runs").skipped == 1)
        #expect(try await store.getRun(id: MLflowFixture.deletedRun).info.lifecycleStage == .deleted)
    }

    @Test func keepsRecordedArtifactURIsWithoutADestination() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let mlruns = try MLflowFixture.write(in: dir)
        let target = try await StoreFactory.database(uri: dir.sqlite("cairn.db"))
        _ = try await MLflowImporter.open(from: "file://" + mlruns, into: target, artifacts: nil).run()
        let store = try await SQLTrackingStore.open(database: target, defaultArtifactRoot: "mlflow-artifacts:/")
        let run = try await store.getRun(id: MLflowFixture.run)
        #expect(run.info.artifactUri == "file://\(mlruns)/7/\(MLflowFixture.run)/artifacts")
        #expect(try await store.modelVersion(name: "clf", version: 2).source.hasPrefix("file://"))
    }

    @Test func refusesAnExperimentIdThatHoldsAnotherName() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let mlruns = try MLflowFixture.write(in: dir)
        let target = try await StoreFactory.database(uri: dir.sqlite("cairn.db"))
        try await target.write { s in
            try s.execute(
                """
                INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time,
                                         last_update_time)
                VALUES (7, 'someone-else', 'x', 'active', 0, 0)
                """)
        }
        let importer = try await MLflowImporter.open(from: mlruns, into: target, artifacts: nil)
        await #expect(throws: TransferError.self) { try await importer.run() }
    }

    @Test func rewritesOnlySourcesInsideRelocatedFolders() {
        let r = ArtifactRelocator(destination: "/srv/artifacts", baseDirectory: "/data")
        let pairs: [(old: String, new: String)] = [
            ("/data/mlruns/1", "mlflow-artifacts:/1"),
            ("file:///data/mlruns/1/abc/artifacts", "mlflow-artifacts:/1/abc/artifacts"),
        ]
        #expect(
            r.rewrite(source: "/data/mlruns/1/abc/artifacts/model", pairs: pairs)
                == "mlflow-artifacts:/1/abc/artifacts/model")
        #expect(r.rewrite(source: "mlruns/1/x", pairs: pairs) == "mlflow-artifacts:/1/x")
        #expect(r.rewrite(source: "/data/mlruns/10/x", pairs: pairs) == "/data/mlruns/10/x")
        #expect(r.rewrite(source: "models:/m-1", pairs: pairs) == "models:/m-1")
        #expect(r.rewrite(source: "s3://b/k", pairs: pairs) == "s3://b/k")
        #expect(r.localPath("file:///a/b%20c") == "/a/b c")
        #expect(r.localPath("s3://bucket/x") == nil)
    }

    @Test func keepsRemoteLocationsWhereTheyAre() {
        let r = ArtifactRelocator(destination: "/srv/artifacts", baseDirectory: "/data")
        let e = MLflowExperiment(
            id: 3, name: "e", artifactLocation: "mlflow-artifacts:/old/3", lifecycleStage: .active, creationTime: 0,
            lastUpdateTime: 0, tags: [])
        #expect(r.experimentLocation(e) == "mlflow-artifacts:/old/3")
        var local = e
        local.artifactLocation = "file:///data/mlruns/3"
        #expect(r.experimentLocation(local) == "mlflow-artifacts:/3")
        local.artifactLocation = "s3://bucket/3"
        #expect(r.experimentLocation(local) == "s3://bucket/3")
        #expect(ArtifactRelocator(destination: nil, baseDirectory: "/").experimentLocation(local) == "s3://bucket/3")
    }
}
