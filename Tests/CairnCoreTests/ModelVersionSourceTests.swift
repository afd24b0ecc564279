import Testing

@testable import CairnCore

@Suite struct ModelVersionSourceTests {
    let runRoot = "mlflow-artifacts:/1/r1/artifacts"
    let modelRoot = "mlflow-artifacts:/1/models/m-1/artifacts"

    func check(_ source: String, run: String? = nil, model: String? = nil, localRun: Bool = false) async throws {
        let runUri = localRun ? "/data/1/r1/artifacts" : runRoot
        try await ModelVersionSource.check(
            source: source, runId: run, modelId: model,
            runArtifactUri: { $0 == "r1" ? runUri : nil }, modelArtifactUri: { $0 == "m-1" ? self.modelRoot : nil })
    }

    func message(_ source: String, run: String? = nil, model: String? = nil) async -> String? {
        do {
            try await check(source, run: run, model: model)
            return nil
        } catch let error as MlflowError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func acceptsSourcesInsideTheirRunOrModel() async throws {
        try await check("models:/m-1", model: "m-1")
        try await check("s3://bucket/x", model: "m-1")
        try await check("runs:/r1/model", run: "r1")
        try await check(runRoot + "/model", run: "r1")
        try await check(modelRoot + "/MLmodel", model: "m-1")
        try await check("/data/1/r1/artifacts/model", run: "r1", localRun: true)
        try await check("file:///data/1/r1/artifacts/model", run: "r1", localRun: true)
    }

    @Test func refusesWithTheReferenceMessages() async {
        let local =
            "To use a local path as a model version source, the run_id request parameter has to be specified and the "
            + "local path has to be contained within the artifact directory of the run specified by the run_id."
        #expect(await message("file:///tmp/x") == "Invalid model version source: 'file:///tmp/x'. " + local)
        #expect(await message("file:///tmp/x", run: "r1") == "Invalid model version source: '/tmp/x'. " + local)
        #expect(
            await message("models:/m-1")
                == "Invalid model version source: 'models:/m-1'. The model_id request parameter must identify the "
                + "resource that contains the source.")
        #expect(
            await message("models:/m-2", model: "m-1")
                == "Invalid model version source: 'models:/m-2'. The model_id request parameter must identify the "
                + "resource that contains the source.")
        #expect(await message("runs:/r2/model", run: "r1")?.contains("The run_id request parameter") == true)
        #expect(await message("mlflow-artifacts:/1/r2/artifacts/m", run: "r1")?.contains("run_id request") == true)
        #expect(await message("s3://x")?.contains("an absolute path must be provided") == true)
        #expect(await message("s3://b/a/../c")?.contains("an absolute path must be provided") == true)
        #expect(await message("s3://b/a%2F..%2Fc")?.contains("an absolute path must be provided") == true)
        #expect(await message("http://h/a")?.hasPrefix("'source' cannot use the 'http' scheme") == true)
    }
}
