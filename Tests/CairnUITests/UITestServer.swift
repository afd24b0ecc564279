import CairnCore
import CairnServer
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Hummingbird
import HummingbirdTesting

/// The ids of the sample data that ``withUIServer`` seeds.
struct UISample: Sendable {
    var experimentId: String
    var parentId: String
    var childIds: [String]
    var runIds: [String]
    var artifactRoot: String
    var loggedModelId: String
    var store: any MetadataStore
}

/// The `MLmodel` file of the sample logged model, as MLflow writes it (a signature line wrapped).
let sampleMLmodel = """
    artifact_path: model
    flavors:
      python_function:
        loader_module: mlflow.sklearn
        model_path: model.pkl
        python_version: 3.11.5
      sklearn:
        pickled_model: model.pkl
        serialization_format: cloudpickle
        sklearn_version: 1.3.0
    mlflow_version: 2.9.2
    saved_input_example_info:
      artifact_path: input_example.json
      type: dataframe
    signature:
      inputs: '[{"type": "double", "name": "pixel <0>", "required": true}, {"type":
        "string", "name": "it''s", "required": false}]'
      outputs: '[{"type": "long", "required": true}]'
      params: null
    """

/// Runs `body` against the real router on a temporary SQLite file seeded with a small experiment.
func withUIServer<T: Sendable>(
    _ body: @Sendable (any TestClientProtocol, UISample) async throws -> T
) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-ui-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try await StoreFactory.open(
        uri: "sqlite:///" + dir.appendingPathComponent("cairn.db").path, defaultArtifactRoot: "mlflow-artifacts:/")
    let artifacts = try LocalArtifactStore(root: dir.appendingPathComponent("artifacts").path)
    let sample = try await seed(store, artifacts: artifacts)
    let app = Application(router: buildRouter(store: store, artifacts: artifacts))
    return try await app.test(.router) { client in try await body(client, sample) }
}

private func seed(_ store: SQLTrackingStore, artifacts: LocalArtifactStore) async throws -> UISample {
    let exp = try await store.createExperiment(name: "vision <b>&</b>", artifactLocation: nil, tags: [])
    var runIds: [String] = []
    for i in 0..<3 {
        let run = try await store.createRun(
            NewRun(
                experimentId: exp, userId: "ana", runName: "run-\(i)", startTime: 1_700_000_000_000 + Int64(i) * 1000,
                tags: [KeyValue("mlflow.source.git.commit", "abcdef0123456789\(i)")]
                    + (i == 0 ? [KeyValue("cairn.command", #"["python","train.py"]"#)] : [])))
        let id = run.info.runId
        runIds.append(id)
        let metrics = (0..<20).map { s in
            Metric(key: "loss", value: 1.0 / Double(s + 1 + i), timestamp: 1_700_000_000_000 + Int64(s), step: Int64(s))
        }
        try await store.logBatch(
            runId: id, metrics: metrics + [Metric(key: "acc", value: 0.8 + Double(i) / 100, timestamp: 0, step: 0)],
            params: [
                KeyValue("lr", "0.0\(i + 1)"), KeyValue("layers", "4"), KeyValue("note", "<script>alert(1)</script>"),
            ],
            tags: [KeyValue("team", "core")])
        _ = try await store.updateRun(id: id, status: .finished, endTime: 1_700_000_060_000, runName: nil)
    }
    let parent = try await store.createRun(
        NewRun(experimentId: exp, userId: "ana", runName: "sweep", startTime: 1_700_000_100_000, tags: []))
    var childIds: [String] = []
    for i in 0..<2 {
        let child = try await store.createRun(
            NewRun(
                experimentId: exp, userId: "ana", runName: "trial-\(i)", startTime: 1_700_000_200_000,
                tags: [KeyValue("mlflow.parentRunId", parent.info.runId)]))
        childIds.append(child.info.runId)
    }
    try await store.logInputs(
        runId: runIds[0],
        datasets: [
            DatasetInput(
                tags: [KeyValue("mlflow.data.context", "training")],
                dataset: Dataset(
                    name: "digits", digest: "d1g35t", sourceType: "local", source: "data/digits.csv", schema: nil,
                    profile: nil))
        ], models: [])
    let base = LocalArtifactStore.proxiedPath(try await store.getRun(id: runIds[0]).info.artifactUri)!
    for (name, text) in [
        ("notes.txt", "hello <world>"), ("metrics.csv", "step,loss\n0,1.0\n1,0.5\n"), ("plots/curve.svg", "<svg/>"),
        ("source/changes.diff", "--- a\n+++ b\n"),
    ] {
        let (final, temporary) = try artifacts.prepareUpload(base + "/" + name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try artifacts.commitUpload(temporary: temporary, final: final)
    }
    _ = try await store.createRegisteredModel(name: "digits-clf", tags: [], description: "Digit classifier")
    let v = try await store.createModelVersion(
        NewModelVersion(name: "digits-clf", source: "runs:/\(runIds[0])/model", runId: runIds[0]))
    try await store.setAlias(name: "digits-clf", alias: "champion", version: v.version)
    let logged = try await store.createLoggedModel(
        NewLoggedModel(
            experimentId: exp, name: "clf", modelType: nil, sourceRunId: runIds[0], params: [], tags: []))
    let modelBase = LocalArtifactStore.proxiedPath(logged.artifactUri)!
    for (name, text) in [
        ("MLmodel", sampleMLmodel), ("input_example.json", #"{"columns": ["pixel <0>"], "data": [[0.5]]}"#),
    ] {
        let (final, temporary) = try artifacts.prepareUpload(modelBase + "/" + name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        try artifacts.commitUpload(temporary: temporary, final: final)
    }
    return UISample(
        experimentId: exp, parentId: parent.info.runId, childIds: childIds, runIds: runIds,
        artifactRoot: artifacts.root, loggedModelId: logged.modelId, store: store)
}

/// A decoded page.
struct Page {
    var status: Int
    var html: String
    var contentType: String
}

extension TestClientProtocol {
    /// GETs a UI page.
    func page(_ path: String) async throws -> Page {
        try await execute(uri: path, method: .get) { r in
            Page(status: Int(r.status.code), html: String(buffer: r.body), contentType: r.headers[.contentType] ?? "")
        }
    }

    /// POSTs a form the way a browser on one of the server's pages does: with the form token from the
    /// experiments page, its cookie, and this server as the origin.
    func postForm(_ path: String, _ body: String) async throws -> (status: Int, location: String?) {
        let token = try await formToken()
        let field = "form_token=\(token)" + (body.isEmpty ? "" : "&" + body)
        return try await postRaw(
            path, field,
            headers: [
                .contentType: "application/x-www-form-urlencoded", .cookie: "cairn_form=\(token)",
                .origin: "http://localhost",
            ])
    }

    /// POSTs a body with exactly the given headers.
    func postRaw(_ path: String, _ body: String, headers: HTTPFields) async throws -> (status: Int, location: String?) {
        try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { r in
            (Int(r.status.code), r.headers[.location])
        }
    }

    /// The form token a new browser gets from the experiments page (its cookie value).
    func formToken() async throws -> String {
        try await execute(uri: "/", method: .get) { r in
            let cookie = r.headers[.setCookie] ?? ""
            guard let start = cookie.range(of: "cairn_form="), let end = cookie.firstIndex(of: ";") else { return "" }
            return String(cookie[start.upperBound..<end])
        }
    }
}
