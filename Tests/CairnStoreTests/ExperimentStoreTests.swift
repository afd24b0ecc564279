import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Testing

@Suite("Experiments in the store, on every backend")
struct ExperimentStoreTests {
    @Test(arguments: StoreBackend.all) func defaultExperimentExists(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let e = try await store.getExperiment(id: "0")
            #expect(e.name == "Default")
            #expect(e.artifactLocation == "mlflow-artifacts:/0")
            #expect(e.lifecycleStage == .active)
        }
    }

    @Test(arguments: StoreBackend.all) func createGetRenameAndTags(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend, root: "file:///data/mlruns/") { store, _ in
            let id = try await store.createExperiment(name: "exp", artifactLocation: nil, tags: [KeyValue("a", "1")])
            #expect(id == "1")
            var e = try await store.getExperiment(id: id)
            #expect(e.artifactLocation == "file:///data/mlruns/1")
            #expect(e.tags == [KeyValue("a", "1")])
            try await store.renameExperiment(id: id, newName: "renamed")
            e = try #require(try await store.getExperiment(name: "renamed"))
            #expect(e.experimentId == id)
            try await store.setExperimentTag(id: id, tag: KeyValue("a", "2"))
            try await store.deleteExperimentTag(id: id, key: "a")
            #expect(try await store.getExperiment(id: id).tags.isEmpty)
            await #expect(throws: MlflowError.notFound("No tag with name: a in experiment with id 1")) {
                try await store.deleteExperimentTag(id: id, key: "a")
            }
        }
    }

    @Test(arguments: StoreBackend.all) func duplicateNamesAreRejectedEvenWhenDeleted(_ backend: StoreBackend)
        async throws
    {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await store.createExperiment(name: "dup", artifactLocation: nil, tags: [])
            try await store.deleteExperiment(id: id)
            let error = await #expect(throws: MlflowError.self) {
                _ = try await store.createExperiment(name: "dup", artifactLocation: nil, tags: [])
            }
            #expect(error?.code == .resourceAlreadyExists)
        }
    }

    @Test(arguments: StoreBackend.all) func deleteAndRestoreCascadeToRuns(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let id = try await store.createExperiment(name: "e", artifactLocation: nil, tags: [])
            let run = try await store.createRun(
                NewRun(experimentId: id, userId: "u", runName: "r", startTime: 1, tags: []))
            try await store.deleteExperiment(id: id)
            #expect(try await store.getRun(id: run.info.runId).info.lifecycleStage == .deleted)
            let error = await #expect(throws: MlflowError.self) {
                _ = try await store.createRun(
                    NewRun(experimentId: id, userId: "u", runName: nil, startTime: 1, tags: []))
            }
            #expect(error?.message.contains("must be in the 'active' state") == true)
            try await store.restoreExperiment(id: id)
            #expect(try await store.getRun(id: run.info.runId).info.lifecycleStage == .active)
        }
    }

    @Test(arguments: StoreBackend.all) func searchFiltersOrdersAndPages(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            for name in ["rec-a", "rec-b", "other"] {
                _ = try await store.createExperiment(name: name, artifactLocation: nil, tags: [KeyValue("kind", name)])
            }
            let filter = try ExperimentFilter(parsing: "name LIKE 'rec%'")
            let page = try await store.searchExperiments(
                ExperimentQuery(filter: filter, orderBy: [.parseExperiment("name DESC")]))
            #expect(page.items.map(\.name) == ["rec-b", "rec-a"])
            #expect(page.nextOffset == nil)
            let first = try await store.searchExperiments(
                ExperimentQuery(maxResults: 2, orderBy: [.parseExperiment("name")]))
            #expect(first.items.map(\.name) == ["Default", "other"])
            let second = try await store.searchExperiments(
                ExperimentQuery(
                    maxResults: 2, orderBy: [.parseExperiment("name")], offset: try #require(first.nextOffset)))
            #expect(second.items.map(\.name) == ["rec-a", "rec-b"])
            let tagged = try await store.searchExperiments(
                ExperimentQuery(filter: try ExperimentFilter(parsing: "tags.kind ILIKE 'OTHER'")))
            #expect(tagged.items.map(\.name) == ["other"])
        }
    }

    @Test(arguments: StoreBackend.all) func dataSurvivesReopening(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, uri in
            let id = try await store.createExperiment(name: "persist", artifactLocation: nil, tags: [])
            let reopened = try await StoreFactory.open(uri: uri, defaultArtifactRoot: "mlflow-artifacts:/")
            #expect(try await reopened.getExperiment(id: id).name == "persist")
            try await reopened.close()
        }
    }

    @Test func parsesBackendUris() throws {
        #expect(try StoreFactory.parse(uri: "sqlite:///cairn.db") == .sqliteFile(path: "cairn.db"))
        #expect(try StoreFactory.parse(uri: "sqlite:////abs/x.db") == .sqliteFile(path: "/abs/x.db"))
        #expect(try StoreFactory.parse(uri: "memory:") == .memory)
        #expect(
            try StoreFactory.parse(uri: "postgresql://u:p@h:5433/db") == .postgres(uri: "postgresql://u:p@h:5433/db"))
        #expect(try StoreFactory.parse(uri: "postgres://h/db") == .postgres(uri: "postgres://h/db"))
        #expect(
            StoreFactory.Location.postgres(uri: "postgresql://u:secret@h/db").description
                == "PostgreSQL postgresql://u@h:5432/db")
        #expect(throws: MlflowError.self) { try StoreFactory.parse(uri: "mysql://h/db") }
        #expect(throws: MlflowError.self) { try StoreFactory.parse(uri: "sqlite:///") }
    }
}
