import CairnCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CairnServer

/// The OpenAPI document at `/api/openapi.json`: complete against the route tables, well-formed, and
/// naming only routes the router answers.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static func document() throws -> JSONValue { try JSONParser.parse(OpenAPIDocument.bytes) }

    @Test func everyRouteHasASchemaAndEverySchemaARoute() {
        for section in OpenAPIDocument.sections {
            let drift = section.drift
            #expect(drift.undocumented.isEmpty, "routes with no schema under \(section.prefix): \(drift.undocumented)")
            #expect(drift.unrouted.isEmpty, "schemas with no route under \(section.prefix): \(drift.unrouted)")
        }
    }

    @Test func driftIsReportedBothWays() {
        let section = DocumentedRoutes(
            prefix: "/api/2.0/mlflow/",
            routes: [(path: "runs/get", methods: [.get]), (path: "runs/new-thing", methods: [.post, .get])],
            schemas: DocumentedRoutes.keyed([
                ("runs/get", [.get], EndpointSchema("Get a run")),
                ("runs/gone", [.post], EndpointSchema("Removed")),
            ]))
        #expect(section.drift.undocumented == ["GET runs/new-thing", "POST runs/new-thing"])
        #expect(section.drift.unrouted == ["POST runs/gone"])
    }

    @Test func everyTableRowIsAnOperationOfTheDocument() throws {
        let paths = try #require(try Self.document()[path: "paths"]?.objectValue)
        var count = 0
        for route in APIRoutes.endpoints {
            let documented =
                "/api/2.0/mlflow/"
                + route.0.replacingOccurrences(of: ":model_id", with: "{model_id}")
                .replacingOccurrences(of: ":tag_key", with: "{tag_key}")
            for method in route.1 {
                let operation = paths[documented]?[path: method.rawValue.lowercased()]
                #expect(operation?[path: "responses", "200"] != nil, "\(method) \(documented)")
                #expect(
                    operation?[path: "responses", "4XX", "content", "application/json", "schema", "$ref"]
                        == .string("#/components/schemas/Error"))
                count += 1
            }
        }
        #expect(count >= 55)
        #expect(paths["/api/2.0/mlflow-artifacts/artifacts/{artifact_path}"]?[path: "put", "requestBody"] != nil)
        #expect(paths["/health"]?[path: "get", "responses", "200", "content", "text/plain"] != nil)
    }

    @Test func fieldsBecomeQueryParametersForGetAndABodyOtherwise() throws {
        let doc = try Self.document()
        let get = try #require(doc[path: "paths", "/api/2.0/mlflow/experiments/get-by-name", "get"])
        #expect(get[path: "parameters", 0, "name"] == .string("experiment_name"))
        #expect(get[path: "parameters", 0, "in"] == .string("query"))
        #expect(get[path: "parameters", 0, "required"] == .bool(true))
        #expect(get[path: "requestBody"] == nil)
        let body = try #require(
            doc[
                path: "paths", "/api/2.0/mlflow/runs/log-metric", "post", "requestBody", "content", "application/json",
                "schema"])
        #expect(body[path: "required"] == .array([.string("key"), .string("value"), .string("timestamp")]))
        #expect(body[path: "properties", "timestamp", "format"] == .string("int64"))
        let model = try #require(doc[path: "paths", "/api/2.0/mlflow/logged-models/{model_id}", "patch"])
        #expect(model[path: "parameters", 0, "in"] == .string("path"))
        #expect(model[path: "parameters", 0, "name"] == .string("model_id"))
    }

    @Test func everyReferenceNamesAComponent() throws {
        let text = String(decoding: OpenAPIDocument.bytes, as: UTF8.self)
        let names = Set(MessageSchemas.all.map(\.0))
        var refs = 0
        for part in text.components(separatedBy: "#/components/schemas/").dropFirst() {
            let name = String(part.prefix { $0 != "\"" })
            #expect(names.contains(name), "unknown component \(name)")
            refs += 1
        }
        #expect(refs > 50)
    }

    @Test func servedAtApiOpenapiJsonAndEveryPathIsRouted() async throws {
        try await withTestServer { client, _ in
            let served = try await client.execute(uri: "/api/openapi.json", method: .get) { $0 }
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "application/json")
            #expect(Array(served.body.readableBytesView) == OpenAPIDocument.bytes)
            for (path, operations) in OpenAPIDocument.grouped(OpenAPIDocument.sections) {
                let concrete = path.replacingOccurrences(of: "{model_id}", with: "m-1")
                    .replacingOccurrences(of: "{tag_key}", with: "k").replacingOccurrences(
                        of: "{artifact_path}", with: "a.txt")
                for (method, _, _) in operations {
                    let reply = try await client.send(method, concrete, "{}")
                    #expect(
                        reply["error_code"] != .string("ENDPOINT_NOT_FOUND") && reply.status != 405,
                        "\(method) \(concrete) is documented but not routed: \(reply.status) \(reply.text)")
                }
            }
        }
    }

    @Test func wrongMethodsAre405WithAnAllowHeaderOnEveryDocumentedPath() async throws {
        #expect(OpenAPIDocument.allowedMethods(path: "/api/2.0/mlflow/runs/search") == [.post, .get])
        #expect(
            OpenAPIDocument.allowedMethods(path: "/ajax-api/2.0/mlflow/logged-models/m-1") == [.get, .patch, .delete])
        #expect(
            OpenAPIDocument.allowedMethods(path: "/api/2.0/mlflow-artifacts/artifacts/a/b/c.txt") == [
                .get, .put, .delete,
            ])
        #expect(OpenAPIDocument.allowedMethods(path: "/api/2.0/mlflow-artifacts/artifacts") == [.get])
        #expect(OpenAPIDocument.allowedMethods(path: "/api/2.0/mlflow/no-such-thing").isEmpty)
        try await withTestServer { client, _ in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.init("TRACE")!, "/api/2.0/mlflow/experiments/create", "POST"),
                (.get, "/api/2.0/mlflow/runs/log-batch", "POST"),
                (.put, "/api/2.0/mlflow/runs/search", "POST, GET"),
                (.post, "/api/2.0/mlflow-artifacts/artifacts/x/y.txt", "GET, PUT, DELETE"),
                (.delete, "/health", "GET"),
                (.post, "/api/3.0/mlflow/server-info", "GET"),
            ]
            for (method, path, allow) in cases {
                let response = try await client.execute(
                    uri: path, method: method, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{}")
                ) { $0 }
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                #expect(Reply(response)["error_code"] == .string("BAD_REQUEST"))
            }
            let unknown = try await client.send(.post, "/api/2.0/mlflow/no-such-thing", "{}")
            #expect(unknown.status == 404)
            #expect(unknown["error_code"] == .string("ENDPOINT_NOT_FOUND"))
        }
    }

    @Test func createRepliesLinkToTheOperationsThatTakeTheirIds() throws {
        let doc = try Self.document()
        let runLinks = try #require(
            doc[path: "paths", "/api/2.0/mlflow/runs/create", "post", "responses", "200", "links"]?.objectValue)
        #expect(
            runLinks["getApi20MlflowRunsGet"]?[path: "parameters", "query.run_id"]
                == .string("$response.body#/run/info/run_id"))
        #expect(
            runLinks["postApi20MlflowRunsLogMetric"]?[path: "requestBody", "run_id"]
                == .string("$response.body#/run/info/run_id"))
        #expect(runLinks["postApi20MlflowRunsCreate"] == nil)
        let modelLinks = try #require(
            doc[path: "paths", "/api/2.0/mlflow/logged-models", "post", "responses", "200", "links"]?.objectValue)
        #expect(
            modelLinks["getApi20MlflowLoggedModelsModelId"]?[path: "parameters", "path.model_id"]
                == .string("$response.body#/model/info/model_id"))
        let versionLinks = try #require(
            doc[path: "paths", "/api/2.0/mlflow/model-versions/create", "post", "responses", "200", "links"]?
                .objectValue)
        #expect(versionLinks["getApi20MlflowModelVersionsGet"]?[path: "parameters", "query.version"] != nil)
        #expect(doc[path: "paths", "/api/2.0/mlflow/runs/get", "get", "responses", "200", "links"] == nil)
    }
}
