import CairnCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Tracking API through the router")
struct TrackingRouterTests {
    @Test func experimentLifecycle() async throws {
        try await withTestServer { client, _ in
            let created = try await client.send(.post, "/api/2.0/mlflow/experiments/create", #"{"name":"exp"}"#)
            #expect(created.status == 200)
            #expect(created["experiment_id"] == .string("1"))
            let dup = try await client.send(.post, "/api/2.0/mlflow/experiments/create", #"{"name":"exp"}"#)
            #expect(dup.status == 400)
            #expect(dup["error_code"] == .string("RESOURCE_ALREADY_EXISTS"))
            let byName = try await client.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=exp")
            #expect(byName.json[path: "experiment", "artifact_location"] == .string("mlflow-artifacts:/1"))
            let missing = try await client.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=nope")
            #expect(missing.status == 404)
            #expect(missing["message"] == .string("Could not find experiment with name 'nope'"))
            let unknown = try await client.get("/api/2.0/mlflow/experiments/get?experiment_id=99999")
            #expect(unknown.status == 404)
            #expect(unknown["message"] == .string("No Experiment with id=99999 exists"))
            let search = try await client.send(
                .post, "/ajax-api/2.0/mlflow/experiments/search", #"{"max_results":10,"filter":"name = 'exp'"}"#)
            #expect(search.json[path: "experiments", 0, "name"] == .string("exp"))
            #expect(search["next_page_token"] == nil)
        }
    }

    @Test func runLoggingAndWireFormat() async throws {
        try await withTestServer { client, _ in
            let created = try await client.send(
                .post, "/api/2.0/mlflow/runs/create",
                #"{"experiment_id":"0","user_id":"me","start_time":1700000000000,"run_name":"r1"}"#)
            let runId = try #require(created.json[path: "run", "info", "run_id"]?.stringValue)
            #expect(created.json[path: "run", "info", "start_time"] == .int(1_700_000_000_000))
            #expect(created.json[path: "run", "info", "end_time"] == nil)
            let batch = """
                {"run_id":"\(runId)","metrics":[{"key":"loss","value":"NaN","timestamp":1,"step":0},
                 {"key":"loss","value":0.5,"timestamp":2,"step":1},{"key":"big","value":"Infinity","timestamp":2}],
                 "params":[{"key":"lr","value":"0.1"}],"tags":[{"key":"t","value":""}]}
                """
            #expect(try await client.send(.post, "/api/2.0/mlflow/runs/log-batch", batch).status == 200)
            #expect(try await client.send(.post, "/api/2.0/mlflow/runs/log-batch", batch).status == 200)
            let history = try await client.get("/api/2.0/mlflow/metrics/get-history?run_id=\(runId)&metric_key=loss")
            #expect(history.json[path: "metrics", 0, "value"] == .string("NaN"))
            #expect(history.json[path: "metrics"]?.arrayValue?.count == 2)
            let run = try await client.get("/api/2.0/mlflow/runs/get?run_id=\(runId)")
            let metrics = try #require(run.json[path: "run", "data", "metrics"]?.arrayValue)
            #expect(metrics.contains { $0[path: "key"] == .string("big") && $0[path: "value"] == .string("Infinity") })
            #expect(
                run.json[path: "run", "data", "params", 0] == .object(["key": .string("lr"), "value": .string("0.1")]))
            let change = try await client.send(
                .post, "/api/2.0/mlflow/runs/log-parameter", #"{"run_id":"\#(runId)","key":"lr","value":"0.2"}"#)
            #expect(change.status == 400)
            #expect(change["error_code"] == .string("INVALID_PARAMETER_VALUE"))
            let ended = try await client.send(
                .post, "/api/2.0/mlflow/runs/update", #"{"run_id":"\#(runId)","status":"FINISHED","end_time":5}"#)
            #expect(ended.json[path: "run_info", "status"] == .string("FINISHED"))
            #expect(ended.json[path: "run_info", "end_time"] == .int(5))
        }
    }

    @Test func requestValidation() async throws {
        try await withTestServer { client, _ in
            let noType = try await client.execute(
                uri: "/api/2.0/mlflow/experiments/create", method: .post, body: ByteBuffer(string: #"{"name":"x"}"#)
            ) { Reply($0) }
            #expect(noType.status == 400)
            #expect(noType["message"] == .string("Bad Request. Content-Type header is missing."))
            let missing = try await client.send(.post, "/api/2.0/mlflow/experiments/create", "{}")
            #expect(missing.status == 400)
            #expect(
                missing["message"]?.stringValue?.hasPrefix("Missing value for required parameter 'name'") == true)
            let wrongType = try await client.send(.post, "/api/2.0/mlflow/experiments/create", #"{"name":123}"#)
            #expect(wrongType.status == 400)
            #expect(
                wrongType["message"]?.stringValue?.hasPrefix("Invalid value 123 for parameter 'name' supplied") == true)
            let malformed = try await client.send(.post, "/api/2.0/mlflow/experiments/create", "{not json")
            #expect(malformed.status == 400)
            let badFilter = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"filter":"metrics.a > 1 OR x"}"#)
            #expect(badFilter.status == 400)
            let tooMany = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"max_results":50001}"#)
            #expect(tooMany.status == 400)
            let unknownRoute = try await client.get("/api/2.0/mlflow/unknown")
            #expect(unknownRoute.status == 404)
            #expect(unknownRoute["error_code"] == .string("ENDPOINT_NOT_FOUND"))
            let empty = try await client.send(.post, "/api/2.0/mlflow/runs/search", "{}")
            #expect(empty.status == 200 && empty.json == .object([:]))
        }
    }

    @Test func searchPagingOmitsTokenOnLastPage() async throws {
        try await withTestServer { client, _ in
            for i in 0..<5 {
                _ = try await client.send(
                    .post, "/api/2.0/mlflow/runs/create", #"{"experiment_id":"0","start_time":\#(i)}"#)
            }
            var token: String?
            var count = 0
            repeat {
                let tokenField = token.map { #","page_token":"\#($0)""# } ?? ""
                let page = try await client.send(
                    .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"max_results":2\#(tokenField)}"#)
                count += page["runs"]?.arrayValue?.count ?? 0
                token = page["next_page_token"]?.stringValue
            } while token != nil
            #expect(count == 5)
        }
    }

    @Test func artifactProxyRoundTripAndPathSafety() async throws {
        try await withTestServer { client, root in
            let payload = String(repeating: "0123456789", count: 50_000)
            let put = try await client.execute(
                uri: "/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/dir/data.txt", method: .put,
                body: ByteBuffer(string: payload)
            ) { Reply($0) }
            #expect(put.status == 200)
            #expect(try String(contentsOfFile: root + "/0/run/artifacts/dir/data.txt", encoding: .utf8) == payload)
            let got = try await client.get("/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/dir/data.txt")
            #expect(got.status == 200 && got.text == payload)
            let list = try await client.get("/api/2.0/mlflow-artifacts/artifacts?path=0/run/artifacts")
            #expect(
                list.json == .object(["files": .array([.object(["path": .string("dir"), "is_dir": .bool(true)])])]))
            let fileList = try await client.get("/api/2.0/mlflow-artifacts/artifacts?path=0/run/artifacts/dir/data.txt")
            #expect(fileList.json == .object([:]))
            let missing = try await client.get("/api/2.0/mlflow-artifacts/artifacts/0/nope.txt")
            #expect(missing.status == 404)
            #expect(missing["message"] == .string("No such artifact: '0/nope.txt'"))
            for bad in [
                "0/%2e%2e/%2e%2e/etc/passwd", "0/..%2F..%2Fx", "%2Fetc%2Fpasswd", "0/a%5Cb", "0/a%23b",
                "0/%252e%252e/x",
            ] {
                let r = try await client.execute(
                    uri: "/api/2.0/mlflow-artifacts/artifacts/" + bad, method: .put, body: ByteBuffer(string: "x")
                ) { Reply($0) }
                #expect(r.status == 400, "path \(bad)")
                #expect(
                    r.json
                        == .object([
                            "error_code": .string("INVALID_PARAMETER_VALUE"), "message": .string("Invalid path"),
                        ]))
            }
            let badList = try await client.get("/api/2.0/mlflow-artifacts/artifacts?path=../x")
            #expect(badList.status == 400)
            let mpu = try await client.send(.post, "/api/2.0/mlflow-artifacts/mpu/create/0/x", #"{"path":"x"}"#)
            #expect(mpu.status == 501)
            #expect(
                try await client.execute(
                    uri: "/api/2.0/mlflow-artifacts/artifacts/0/run", method: .delete
                ) { $0.status.code } == 200)
            #expect(!FileManager.default.fileExists(atPath: root + "/0/run"))
        }
    }

    @Test func loggedModelEndpoints() async throws {
        try await withTestServer { client, _ in
            let created = try await client.send(
                .post, "/api/2.0/mlflow/logged-models",
                #"{"experiment_id":"0","name":"model","params":[{"key":"a","value":"1"}]}"#)
            let id = try #require(created.json[path: "model", "info", "model_id"]?.stringValue)
            #expect(created.json[path: "model", "info", "status"] == .string("LOGGED_MODEL_PENDING"))
            let ready = try await client.send(
                .patch, "/api/2.0/mlflow/logged-models/\(id)", #"{"model_id":"\#(id)","status":"LOGGED_MODEL_READY"}"#)
            #expect(ready.json[path: "model", "info", "status"] == .string("LOGGED_MODEL_READY"))
            let tagged = try await client.send(
                .patch, "/api/2.0/mlflow/logged-models/\(id)/tags", #"{"tags":[{"key":"k","value":"v"}]}"#)
            #expect(tagged.json[path: "model", "info", "tags", 0, "key"] == .string("k"))
            let found = try await client.send(
                .post, "/api/2.0/mlflow/logged-models/search", #"{"experiment_ids":["0"],"filter":"name = 'model'"}"#)
            #expect(found.json[path: "models", 0, "info", "model_id"] == .string(id))
            #expect(
                try await client.execute(uri: "/api/2.0/mlflow/logged-models/\(id)/tags/k", method: .delete) {
                    $0.status.code
                } == 200)
            #expect(
                try await client.execute(uri: "/api/2.0/mlflow/logged-models/\(id)", method: .delete) {
                    $0.status.code
                } == 200)
            #expect(try await client.get("/api/2.0/mlflow/logged-models/\(id)").status == 404)
        }
    }

    @Test func serviceRoutes() async throws {
        try await withTestServer { client, _ in
            #expect(try await client.get("/health").text == "OK")
            #expect(try await client.get("/version").status == 200)
            let info = try await client.get("/api/3.0/mlflow/server-info")
            #expect(info["multipart_uploads_enabled"] == .bool(false))
        }
    }

    /// Found by schemathesis: renaming a deleted experiment was a 500, which clients retry.
    @Test func renamingADeletedExperimentIsAClientError() async throws {
        try await withTestServer { client, _ in
            let created = try await client.send(.post, "/api/2.0/mlflow/experiments/create", #"{"name":"gone"}"#)
            let id = try #require(created["experiment_id"]?.stringValue)
            let deleted = try await client.send(
                .post, "/api/2.0/mlflow/experiments/delete", #"{"experiment_id":"\#(id)"}"#)
            #expect(deleted.status == 200)
            let renamed = try await client.send(
                .post, "/api/2.0/mlflow/experiments/update", #"{"experiment_id":"\#(id)","new_name":"back"}"#)
            #expect(renamed.status == 400)
            #expect(renamed["error_code"] == .string("INVALID_STATE"))
            #expect(renamed["message"] == .string("Cannot rename a non-active experiment."))
        }
    }
}
