import CairnCore
import CairnServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("MLflow's web UI at /mlflow/")
struct MlflowWebUITests {
    /// A stand-in UI build folder: an index page and one script.
    func withBuild<T: Sendable>(_ body: (MlflowUIConfiguration) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlflow-ui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("static/js"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("<html>mlflow index</html>".utf8).write(to: dir.appendingPathComponent("index.html"))
        try Data("console.log(1)".utf8).write(to: dir.appendingPathComponent("static/js/main.js"))
        return try await body(try MlflowUIConfiguration(buildDirectory: dir.path))
    }

    @Test func servesTheBuildAndForwardsPrefixedCalls() async throws {
        try await withBuild { ui in
            try await withTestServer(mlflowUI: ui) { client, _ in
                let bare = try await client.get("/mlflow")
                #expect(bare.status == 301)
                let index = try await client.get("/mlflow/")
                #expect(index.status == 200 && index.text == "<html>mlflow index</html>")
                let script = try await client.execute(uri: "/mlflow/static-files/static/js/main.js", method: .get) {
                    $0
                }
                #expect(script.status == .ok)
                #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
                let traversal = try await client.get("/mlflow/static-files/static/..%2F..%2Findex.html")
                #expect(traversal.status == 400)
                let missing = try await client.get("/mlflow/static-files/missing.js")
                #expect(missing.status == 404)

                let cairnPage = try await client.get("/mlflow/experiments/0")
                #expect(cairnPage.status == 404)
                let experiment = try await client.get("/mlflow/ajax-api/2.0/mlflow/experiments/get?experiment_id=0")
                #expect(experiment.json[path: "experiment", "name"] == .string("Default"))
                let query =
                    #"{"query":"query Q($i: In!) { mlflowGetExperiment(input: $i) { experiment { name __typename } } }","variables":{"i":{"experimentId":"0"}}}"#
                let graph = try await client.send(.post, "/mlflow/graphql", query)
                #expect(
                    graph.text
                        == #"{"data":{"mlflowGetExperiment":{"experiment":{"name":"Default","__typename":"MlflowExperiment"}}},"errors":null}"#
                )
            }
        }
    }

    @Test func refusesAFolderWithoutIndex() {
        #expect(throws: MlflowError.self) { try MlflowUIConfiguration(buildDirectory: "/nonexistent/build") }
    }

    @Test func isOffUnlessConfigured() async throws {
        try await withTestServer { client, _ in
            let page = try await client.get("/mlflow/")
            #expect(page.status == 404)
        }
    }
}
