import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Testing

@Suite("Model registry in the store, on every backend")
struct RegistryStoreTests {
    /// A store with one run that logged a model `model`; returns the run and logged model ids.
    func loggedModel(_ store: SQLTrackingStore) async throws -> (run: String, model: String) {
        let run = try await store.createRun(
            NewRun(experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: []))
        let model = try await store.createLoggedModel(
            NewLoggedModel(
                experimentId: "0", name: "model", modelType: nil, sourceRunId: run.info.runId, params: [], tags: []))
        return (run.info.runId, model.modelId)
    }

    @Test(arguments: StoreBackend.all) func versionsAliasesAndResolution(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let (runId, modelId) = try await loggedModel(store)
            _ = try await store.createRegisteredModel(name: "churn", tags: [], description: nil)
            let error = await #expect(throws: MlflowError.self) {
                _ = try await store.createRegisteredModel(name: "churn", tags: [], description: nil)
            }
            #expect(error == MlflowError(.resourceAlreadyExists, "Registered Model (name=churn) already exists."))
            let v1 = try await store.createModelVersion(
                NewModelVersion(name: "churn", source: "models:/\(modelId)", modelId: modelId))
            let v2 = try await store.createModelVersion(NewModelVersion(name: "churn", source: "models:/\(modelId)"))
            #expect(v1.version == 1 && v2.version == 2)
            #expect(v1.runId == runId)  // filled from the logged model
            #expect(v2.modelId == modelId)  // taken from the source URI
            let logged = try await store.getLoggedModel(id: modelId, allowDeleted: false)
            #expect(logged.tags.first { $0.key == "mlflow.modelVersions" }?.value.contains("\"version\":2") == true)
            #expect(logged.registrations.map(\.version) == ["1", "2"])

            try await store.setAlias(name: "churn", alias: "champion", version: 1)
            try await store.setAlias(name: "churn", alias: "champion", version: 2)  // moves
            #expect(try await store.modelVersion(name: "churn", alias: "champion").version == 2)

            let resolver = ModelResolver(lookup: store)
            let byAlias = try await resolver.resolve(try ModelURI(parsing: "models:/churn@champion"))
            #expect(byAlias.artifactUri == "mlflow-artifacts:/0/models/\(modelId)/artifacts")
            #expect(byAlias.version?.version == 2)
            // runs:/<run>/<name> names the logged model the run produced under that name (MLflow 3) …
            let byRun = try await resolver.resolve(try ModelURI(parsing: "runs:/\(runId)/model"))
            #expect(byRun.artifactUri == "mlflow-artifacts:/0/models/\(modelId)/artifacts")
            #expect(byRun.loggedModelId == modelId)
            let inside = try await resolver.resolve(try ModelURI(parsing: "runs:/\(runId)/model/MLmodel"))
            #expect(inside.artifactUri == "mlflow-artifacts:/0/models/\(modelId)/artifacts/MLmodel")
            // … and any other path the run's own artifacts, as models logged before MLflow 3.
            let plain = try await resolver.resolve(try ModelURI(parsing: "runs:/\(runId)/old-model"))
            #expect(plain.artifactUri == "mlflow-artifacts:/0/\(runId)/artifacts/old-model")
            #expect(plain.loggedModelId == nil)

            try await store.deleteModelVersion(name: "churn", version: 2)
            await #expect(throws: MlflowError.self) {
                _ = try await store.modelVersion(name: "churn", alias: "champion")
            }
            let v3 = try await store.createModelVersion(NewModelVersion(name: "churn", source: "s3://b/m"))
            #expect(v3.version == 3)  // numbers are never reused
        }
    }

    @Test(arguments: StoreBackend.all) func stagesAndLatestVersions(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            _ = try await store.createRegisteredModel(name: "m", tags: [], description: nil)
            for _ in 0..<3 { _ = try await store.createModelVersion(NewModelVersion(name: "m", source: "s3://b/m")) }
            _ = try await store.transitionStage(name: "m", version: 1, stage: .production, archiveExisting: false)
            _ = try await store.transitionStage(name: "m", version: 2, stage: .production, archiveExisting: true)
            #expect(try await store.modelVersion(name: "m", version: 1).currentStage == .archived)
            let prod = try await store.latestVersions(name: "m", stages: [.production])
            #expect(prod.map(\.version) == [2])
            let all = try await store.latestVersions(name: "m", stages: [])
            #expect(Set(all.map(\.version)) == [1, 2, 3])
            await #expect(throws: MlflowError.self) {
                _ = try await store.transitionStage(name: "m", version: 3, stage: .archived, archiveExisting: true)
            }
            let latest = try await ModelResolver(lookup: store).resolve(try ModelURI(parsing: "models:/m/latest"))
            #expect(latest.version?.version == 3)
            let model = try await store.getRegisteredModel(name: "m")
            #expect(model.latestVersions.count == 3)
        }
    }

    @Test(arguments: StoreBackend.all) func renameSearchAndDelete(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            for name in ["alpha", "beta", "gamma"] {
                _ = try await store.createRegisteredModel(
                    name: name, tags: [KeyValue("team", name == "beta" ? "x" : "y")], description: nil)
                _ = try await store.createModelVersion(NewModelVersion(name: name, source: "s3://b/\(name)"))
            }
            let renamed = try await store.renameRegisteredModel(name: "alpha", newName: "delta")
            #expect(renamed.latestVersions.first?.name == "delta")
            await #expect(throws: MlflowError.notFound("Registered Model with name=alpha not found")) {
                _ = try await store.getRegisteredModel(name: "alpha")
            }
            let page = try await store.searchRegisteredModels(
                RegisteredModelQuery(
                    filter: try RegisteredModelFilter(parsing: "tags.team != 'x'"), orderBy: [.name(ascending: false)]))
            #expect(page.items.map(\.name) == ["gamma", "delta"])
            let paged = try await store.searchRegisteredModels(RegisteredModelQuery(maxResults: 2))
            #expect(paged.items.map(\.name) == ["beta", "delta"] && paged.nextOffset == 2)
            let versions = try await store.searchModelVersions(
                ModelVersionQuery(
                    filter: try ModelVersionFilter(parsing: "name IN ('beta', 'gamma')"),
                    orderBy: [.parseModelVersion("name ASC")]))
            #expect(versions.items.map(\.name) == ["beta", "gamma"])
            try await store.deleteRegisteredModel(name: "beta")
            _ = try await store.createRegisteredModel(name: "beta", tags: [], description: nil)
            #expect(try await store.getRegisteredModel(name: "beta").latestVersions.isEmpty)
        }
    }
}
