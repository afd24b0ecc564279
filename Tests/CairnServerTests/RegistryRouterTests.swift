import CairnCore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Registry API through the router")
struct RegistryRouterTests {
    @Test func registerAliasStageAndDownloadUri() async throws {
        try await withTestServer { client, _ in
            let model = try await client.send(
                .post, "/api/2.0/mlflow/logged-models", #"{"experiment_id":"0","name":"model"}"#)
            let modelId = try #require(model.json[path: "model", "info", "model_id"]?.stringValue)
            let created = try await client.send(.post, "/api/2.0/mlflow/registered-models/create", #"{"name":"R"}"#)
            #expect(created.json[path: "registered_model", "name"] == .string("R"))
            #expect(created.json[path: "registered_model", "latest_versions"] == nil)
            let dup = try await client.send(.post, "/api/2.0/mlflow/registered-models/create", #"{"name":"R"}"#)
            #expect(dup.status == 400 && dup["error_code"] == .string("RESOURCE_ALREADY_EXISTS"))
            let v = try await client.send(
                .post, "/api/2.0/mlflow/model-versions/create",
                #"{"name":"R","source":"models:/\#(modelId)","model_id":"\#(modelId)"}"#)
            #expect(v.json[path: "model_version", "version"] == .string("1"))
            #expect(v.json[path: "model_version", "current_stage"] == .string("None"))
            #expect(v.json[path: "model_version", "description"] == .string(""))
            let alias = try await client.send(
                .post, "/api/2.0/mlflow/registered-models/alias", #"{"name":"R","alias":"champion","version":"1"}"#)
            #expect(alias.status == 200)
            let byAlias = try await client.get("/api/2.0/mlflow/registered-models/alias?name=R&alias=champion")
            #expect(byAlias.json[path: "model_version", "aliases", 0] == .string("champion"))
            let staged = try await client.send(
                .post, "/api/2.0/mlflow/model-versions/transition-stage",
                #"{"name":"R","version":"1","stage":"staging","archive_existing_versions":false}"#)
            #expect(staged.json[path: "model_version", "current_stage"] == .string("Staging"))
            let latest = try await client.send(
                .post, "/api/2.0/mlflow/registered-models/get-latest-versions", #"{"name":"R","stages":["Staging"]}"#)
            #expect(latest.json[path: "model_versions", 0, "version"] == .string("1"))
            let uri = try await client.get("/api/2.0/mlflow/model-versions/get-download-uri?name=R&version=1")
            #expect(uri["artifact_uri"] == .string("mlflow-artifacts:/0/models/\(modelId)/artifacts"))
            let reserved = try await client.send(
                .post, "/api/2.0/mlflow/registered-models/alias", #"{"name":"R","alias":"latest","version":"1"}"#)
            #expect(reserved.status == 400)
            let missing = try await client.get("/api/2.0/mlflow/model-versions/get?name=R&version=9")
            #expect(missing.status == 404)
            #expect(missing["message"] == .string("Model Version (name=R, version=9) not found"))
            let deleted = try await client.send(.delete, "/api/2.0/mlflow/registered-models/delete", #"{"name":"R"}"#)
            #expect(deleted.status == 200)
            let gone = try await client.get("/api/2.0/mlflow/registered-models/get?name=R")
            #expect(gone.status == 404 && gone["message"] == .string("Registered Model with name=R not found"))
        }
    }

    @Test func searchDefaultsAndErrors() async throws {
        try await withTestServer { client, _ in
            for name in ["b", "a", "c"] {
                _ = try await client.send(.post, "/api/2.0/mlflow/registered-models/create", #"{"name":"\#(name)"}"#)
            }
            let all = try await client.get("/api/2.0/mlflow/registered-models/search?max_results=2")
            #expect(
                all.json[path: "registered_models"]?.arrayValue?.compactMap { $0[path: "name"]?.stringValue } == [
                    "a", "b",
                ])
            #expect(all["next_page_token"] != nil)
            let filtered = try await client.get(
                "/api/2.0/mlflow/registered-models/search?filter=name+IN+(%27a%27,%27c%27)&order_by=name+DESC")
            #expect(filtered.json[path: "registered_models", 0, "name"] == .string("c"))
            let tooMany = try await client.get("/api/2.0/mlflow/registered-models/search?max_results=1001")
            #expect(tooMany.status == 400)
            let badName = try await client.send(.post, "/api/2.0/mlflow/registered-models/create", #"{"name":"a/b"}"#)
            #expect(badName.status == 400)
        }
    }
}
