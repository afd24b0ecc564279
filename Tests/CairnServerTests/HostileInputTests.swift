import CairnCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Inputs found by fuzzing and abuse on loopback: each must be a clear 400/413 with MLflow's error
/// JSON, never a 500 and never silently altered data.
@Suite("Hostile input through the router")
struct HostileInputTests {
    static func createRun(_ client: any TestClientProtocol) async throws -> String {
        let created = try await client.send(.post, "/api/2.0/mlflow/runs/create", #"{"experiment_id":"0"}"#)
        return try #require(created.json[path: "run", "info", "run_id"]?.stringValue)
    }

    @Test func nulCharactersAreRefused() async throws {
        try await withTestServer { client, _ in
            let runId = try await Self.createRun(client)
            let bodies: [(String, String)] = [
                ("experiments/create", #"{"name":"evil\u0000tail"}"#),
                ("experiments/create", #"{"name":"\u0000"}"#),
                ("runs/set-tag", #"{"run_id":"\#(runId)","key":"k","value":"evil\u0000tail"}"#),
                ("runs/log-batch", #"{"run_id":"\#(runId)","params":[{"key":"p","value":"a\u0000b"}]}"#),
                ("runs/log-parameter", #"{"run_id":"\#(runId)","key":"p\u0000","value":"v"}"#),
            ]
            for (path, body) in bodies {
                let reply = try await client.send(.post, "/api/2.0/mlflow/" + path, body)
                #expect(reply.status == 400, "\(path) \(body)")
                #expect(reply["error_code"] == .string("INVALID_PARAMETER_VALUE"))
                #expect(reply["message"]?.stringValue?.contains("NUL") == true)
            }
            let query = try await client.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=evil%00tail")
            #expect(query.status == 400)
            let run = try await client.get("/api/2.0/mlflow/runs/get?run_id=\(runId)")
            #expect(run.json[path: "run", "data", "params"] == nil)
            #expect(
                run.json[path: "run", "data", "tags"]?.arrayValue?.contains { $0[path: "key"] == .string("k") } != true)
        }
    }

    @Test func invalidUTF8IsRefused() async throws {
        try await withTestServer { client, _ in
            var body = ByteBuffer(string: #"{"name":"bad"#)
            body.writeBytes([0xC3, 0x28, 0xFF])
            body.writeString(#""}"#)
            let reply = try await client.execute(
                uri: "/api/2.0/mlflow/experiments/create", method: .post, headers: [.contentType: "application/json"],
                body: body
            ) { Reply($0) }
            #expect(reply.status == 400)
            #expect(reply["error_code"] == .string("BAD_REQUEST"))
            let query = try await client.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=bad%C3%28%FF")
            #expect(query.status == 400)
            #expect(query["error_code"] == .string("BAD_REQUEST"))
            let lenient = try await client.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=100%")
            #expect(lenient.status == 404)
            let search = try await client.send(.post, "/api/2.0/mlflow/experiments/search", #"{"max_results":100}"#)
            #expect(search.json[path: "experiments"]?.arrayValue?.count == 1)
        }
    }

    @Test func runStatusMustBeKnownAndMayBeANumber() async throws {
        try await withTestServer { client, _ in
            let runId = try await Self.createRun(client)
            let bogus = try await client.send(
                .post, "/api/2.0/mlflow/runs/update", #"{"run_id":"\#(runId)","status":"DONE"}"#)
            #expect(bogus.status == 400)
            #expect(bogus["error_code"] == .string("INVALID_PARAMETER_VALUE"))
            let unchanged = try await client.get("/api/2.0/mlflow/runs/get?run_id=\(runId)")
            #expect(unchanged.json[path: "run", "info", "status"] == .string("RUNNING"))
            let number = try await client.send(
                .post, "/api/2.0/mlflow/runs/update", #"{"run_id":"\#(runId)","status":4}"#)
            #expect(number.json[path: "run_info", "status"] == .string("FAILED"))
            let text = try await client.send(
                .post, "/api/2.0/mlflow/runs/update", #"{"run_id":"\#(runId)","status":"3"}"#)
            #expect(text.json[path: "run_info", "status"] == .string("FINISHED"))
            let byNumber = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"run_view_type":3}"#)
            #expect(byNumber.json[path: "runs"]?.arrayValue?.count == 1)
            let experiments = try await client.send(
                .post, "/api/2.0/mlflow/experiments/search", #"{"max_results":10,"view_type":1}"#)
            #expect(experiments.status == 200)
            let badView = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"run_view_type":7}"#)
            #expect(badView.status == 400)
            let outOfRange = try await client.send(
                .post, "/api/2.0/mlflow/runs/update", #"{"run_id":"\#(runId)","status":9}"#)
            #expect(outOfRange.status == 400)
        }
    }

    @Test func namesAreCappedLikeMLflow() async throws {
        try await withTestServer { client, _ in
            let longRun = String(repeating: "r", count: 251)
            let run = try await client.send(
                .post, "/api/2.0/mlflow/runs/create", #"{"experiment_id":"0","run_name":"\#(longRun)"}"#)
            #expect(run.status == 400)
            let tagged = try await client.send(
                .post, "/api/2.0/mlflow/runs/create",
                #"{"experiment_id":"0","tags":[{"key":"mlflow.runName","value":"\#(longRun)"}]}"#)
            #expect(tagged.status == 400)
            let fits = try await client.send(
                .post, "/api/2.0/mlflow/runs/create", #"{"experiment_id":"0","run_name":"\#(longRun.dropLast())"}"#)
            #expect(fits.status == 200)
            let longModel = String(repeating: "m", count: 257)
            let model = try await client.send(
                .post, "/api/2.0/mlflow/registered-models/create", #"{"name":"\#(longModel)"}"#)
            #expect(model.status == 400)
            #expect(model["error_code"] == .string("INVALID_PARAMETER_VALUE"))
        }
    }

    @Test func hugeSearchesAreClientErrors() async throws {
        try await withTestServer { client, _ in
            let terms = (0..<5000).map { "\"metrics.m\($0) DESC\"" }.joined(separator: ",")
            let ordered = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"order_by":[\#(terms)]}"#)
            #expect(ordered.status == 400)
            #expect(ordered["error_code"] == .string("INVALID_PARAMETER_VALUE"))
            let clauses = (0..<2000).map { "metrics.m\($0) > 0" }.joined(separator: " AND ")
            let filtered = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"filter":"\#(clauses)"}"#)
            #expect(filtered.status == 400)
            #expect(filtered["error_code"] == .string("INVALID_PARAMETER_VALUE"))
            let experiments = try await client.send(
                .post, "/api/2.0/mlflow/experiments/search",
                #"{"max_results":10,"order_by":[\#((0..<5000).map { _ in "\"name\"" }.joined(separator: ","))]}"#)
            #expect(experiments.status == 400)
            // The largest accepted sizes still work.
            let most = (0..<Limits.filterClauses).map { "metrics.m\($0) > 0" }.joined(separator: " AND ")
            let fine = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"filter":"\#(most)"}"#)
            #expect(fine.status == 200)
            let mostTerms = (0..<Limits.orderByTerms).map { "\"metrics.m\($0) DESC\"" }.joined(separator: ",")
            let fineOrder = try await client.send(
                .post, "/api/2.0/mlflow/runs/search", #"{"experiment_ids":["0"],"order_by":[\#(mostTerms)]}"#)
            #expect(fineOrder.status == 200, "\(fineOrder.text)")
        }
    }

    @Test func bodiesBeyondTheEndpointLimitAre413() async throws {
        try await withTestServer { client, _ in
            let runId = try await Self.createRun(client)
            // 17 MiB to log-batch (limit 16 MiB), 3 MiB to set-tag (limit 2 MiB).
            for (path, size) in [("runs/log-batch", 17 << 20), ("runs/set-tag", 3 << 20)] {
                let filler = String(repeating: "x", count: size)
                let reply = try await client.send(
                    .post, "/api/2.0/mlflow/" + path, #"{"run_id":"\#(runId)","key":"k","value":"\#(filler)"}"#)
                #expect(reply.status == 413, "\(path)")
                #expect(reply["error_code"] == .string("RESOURCE_LIMIT_EXCEEDED"))
            }
            // A body of many tiny values is refused before it becomes a large tree.
            let tiny = Array(repeating: "{}", count: 300_000).joined(separator: ",")
            let many = try await client.send(
                .post, "/api/2.0/mlflow/runs/log-batch", #"{"run_id":"\#(runId)","metrics":[\#(tiny)]}"#)
            #expect(many.status == 400)
            // A full batch at the API's own limits (1,000 entities, long keys and values) still fits.
            let metrics = (0..<800).map {
                #"{"key":"\#(String(repeating: "k", count: 240))\#($0)","value":1.5,"timestamp":1,"step":\#($0)}"#
            }
            let params = (0..<100).map { #"{"key":"p\#($0)","value":"\#(String(repeating: "v", count: 6000))"}"# }
            let tags = (0..<100).map { #"{"key":"t\#($0)","value":"\#(String(repeating: "w", count: 8000))"}"# }
            let full = try await client.send(
                .post, "/api/2.0/mlflow/runs/log-batch",
                #"{"run_id":"\#(runId)","metrics":[\#(metrics.joined(separator: ","))],"params":[\#(params.joined(separator: ","))],"tags":[\#(tags.joined(separator: ","))]}"#
            )
            #expect(full.status == 200, "\(full.text)")
        }
    }

    @Test func artifactPathSegmentsOver255BytesAre400() async throws {
        try await withTestServer { client, _ in
            let long = String(repeating: "s", count: 300)
            let listed = try await client.get("/api/2.0/mlflow-artifacts/artifacts?path=0/\(long)")
            #expect(listed.status == 400)
            #expect(listed["error_code"] == .string("INVALID_PARAMETER_VALUE"))
        }
    }

    @Test(arguments: [
        "mlflow-artifacts:/../../etc", "mlflow-artifacts:/a/%2e%2e/%2e%2e/etc", "mlflow-artifacts:///../x",
    ])
    func proxiedArtifactLocationsMayNotLeaveTheRoot(location: String) async throws {
        try await withTestServer { client, _ in
            let reply = try await client.send(
                .post, "/api/2.0/mlflow/experiments/create", #"{"name":"e","artifact_location":"\#(location)"}"#)
            #expect(reply.status == 400)
            #expect(reply["message"] == .string("Invalid path"))
            let inside = try await client.send(
                .post, "/api/2.0/mlflow/experiments/create",
                #"{"name":"f","artifact_location":"mlflow-artifacts:/team/a"}"#)
            #expect(inside.status == 200)
        }
    }
}
