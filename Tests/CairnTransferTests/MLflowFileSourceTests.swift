import CairnCore
import Foundation
import Testing

@testable import CairnTransfer

@Suite struct MLflowFileSourceTests {
    @Test func readsExperimentsIncludingTheTrash() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let source = try MLflowFileSource(folder: try MLflowFixture.write(in: dir))
        let experiments = try await source.experiments()
        #expect(experiments.map(\.id) == [0, 7, 9])
        #expect(experiments.map(\.name) == ["Default", "vision", "gone"])
        #expect(experiments.map(\.lifecycleStage) == [.active, .active, .deleted])
        #expect(experiments[1].tags == [KeyValue("team", "cv")])
        #expect(experiments[1].creationTime == 2000 && experiments[1].lastUpdateTime == 2500)
        #expect(try await source.runIds(experiment: experiments[1]) == [MLflowFixture.run])
        #expect(try await source.runIds(experiment: experiments[2]) == [MLflowFixture.deletedRun])
    }

    @Test func readsARunWithParamsTagsMetricHistoryAndInputs() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let source = try MLflowFileSource(folder: try MLflowFixture.write(in: dir))
        let exp = try await source.experiments()[1]
        let run = try await source.run(id: MLflowFixture.run, experiment: exp)
        #expect(run.name == "trained" && run.userId == "ana" && run.status == .finished)
        #expect(run.startTime == 3000 && run.endTime == 3500)
        #expect(run.params == [KeyValue("alpha", "0.5"), KeyValue("nested/key", "deep")])
        #expect(run.tags.contains(KeyValue("note", "two\nlines")))
        let loss = run.metrics.filter { $0.key == "loss" }
        #expect(loss.map(\.step) == [0, 1, 2] && loss.map(\.value) == [1.0, 0.5, 0.25])
        let odd = run.metrics.filter { $0.key == "odd" }
        #expect(odd.count == 4)
        #expect(odd[0].value.isNaN)
        #expect(odd[1].value == .infinity && odd[2].value == -.infinity)
        #expect(run.datasets.count == 1)
        #expect(run.datasets[0].name == "train-frame" && run.datasets[0].digest == "fc89c70b")
        #expect(run.datasets[0].schema == nil && run.datasets[0].sourceType == "s3")
        #expect(run.datasets[0].tags == [KeyValue("mlflow.data.context", "training")])
        #expect(run.modelOutputs == [.init(modelId: MLflowFixture.model, step: 4)])
    }

    @Test func readsLoggedModelsAndTheRegistry() async throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let source = try MLflowFileSource(folder: try MLflowFixture.write(in: dir))
        let models = try await source.loggedModels(experiment: try await source.experiments()[1])
        #expect(models.count == 1)
        #expect(models[0].status == .ready && models[0].sourceRunId == MLflowFixture.run)
        #expect(models[0].metrics.count == 2)
        #expect(models[0].metrics[1].datasetName == "eval" && models[0].metrics[1].runId == MLflowFixture.run)
        let registered = try await source.registeredModels()
        #expect(registered.count == 1)
        let clf = registered[0]
        #expect(clf.aliases == ["champion": 1])
        #expect(clf.tags == [KeyValue("domain", "tabular")])
        // The deleted version is left out but still counts for the next number.
        #expect(clf.versions.map(\.version) == [1, 2])
        #expect(clf.lastVersion == 3)
        #expect(clf.versions.map(\.stage) == [.none, .production])
        #expect(clf.versions[0].tags == [KeyValue("validated", "yes")])
        #expect(clf.versions[0].modelId == MLflowFixture.model)
    }

    @Test func refusesAFolderThatIsNotAnMlrunsFolder() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        #expect(throws: TransferError.self) { try MLflowFileSource(folder: dir.path) }
        #expect(throws: TransferError.self) { try MLflowImporter.folder(dir.path + "/missing") }
        try dir.write("mlflow.db", "")
        #expect(throws: TransferError.self) { try MLflowImporter.folder(dir.path + "/mlflow.db") }
        #expect(throws: TransferError.self) { try MLflowImporter.folder("s3://bucket/mlruns") }
    }

    @Test func rejectsAMalformedMetricLine() throws {
        #expect(throws: TransferError.self) { try MLflowFileSource.metricPoint(key: "k", line: "12 abc 0", path: "p") }
        #expect(throws: TransferError.self) { try MLflowFileSource.metricPoint(key: "k", line: "12", path: "p") }
        #expect(try MLflowFileSource.metricPoint(key: "k", line: "12 3.5", path: "p").step == 0)
    }
}

@Suite struct MLflowCodesTests {
    @Test(arguments: [
        ("0", LoggedModelStatus.pending), ("1", .pending), ("2", .ready), ("3", .uploadFailed), ("READY", .ready),
        ("FAILED", .uploadFailed), ("LOGGED_MODEL_UPLOAD_FAILED", .uploadFailed),
    ])
    func mapsLoggedModelStatus(code: String, status: LoggedModelStatus) {
        #expect(MLflowCodes.loggedModelStatus(code) == status)
    }

    @Test func rejectsAnUnknownStatus() {
        #expect(MLflowCodes.loggedModelStatus("7") == nil)
    }

    @Test func turnsStoredSentinelsBackIntoNaNAndInfinities() {
        #expect(MLflowCodes.metricValue(0, isNan: true).isNaN)
        #expect(MLflowCodes.metricValue(1.7976931348623157e308, isNan: false) == .infinity)
        #expect(MLflowCodes.metricValue(-1.7976931348623157e308, isNan: false) == -.infinity)
        #expect(MLflowCodes.metricValue(2.5, isNan: false) == 2.5)
    }

    @Test func skipsMLflowsDeletedVersionMarker() {
        #expect(MLflowCodes.stage("Deleted_Internal") == nil)
        #expect(MLflowCodes.stage("Production") == .production)
    }
}
