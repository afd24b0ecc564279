import CairnCore
import CairnServer
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Foundation
import Hummingbird
import HummingbirdTesting

/// Runs `body` against the real router backed by a temporary SQLite file and artifact folder
/// (serving MLflow's web UI from `mlflowUI` when given).
func withTestServer<T: Sendable>(
    mlflowUI: MlflowUIConfiguration? = nil, _ body: @Sendable (any TestClientProtocol, String) async throws -> T
) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try await StoreFactory.open(
        uri: "sqlite:///" + dir.appendingPathComponent("cairn.db").path, defaultArtifactRoot: "mlflow-artifacts:/")
    let artifacts = try LocalArtifactStore(root: dir.appendingPathComponent("artifacts").path)
    let app = Application(router: buildRouter(store: store, artifacts: artifacts, mlflowUI: mlflowUI))
    return try await app.test(.router) { client in try await body(client, artifacts.root) }
}

/// A decoded response.
struct Reply {
    var status: Int
    var json: JSONValue
    var text: String

    subscript(_ key: String) -> JSONValue? { json.objectValue?[key] }
}

extension TestClientProtocol {
    /// POSTs (or PATCHes/DELETEs) a JSON body.
    func send(_ method: HTTPRequest.Method, _ path: String, _ body: String) async throws -> Reply {
        try await execute(
            uri: path, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
        ) { Reply($0) }
    }

    /// GETs a path with its query string.
    func get(_ path: String) async throws -> Reply {
        try await execute(uri: path, method: .get) { Reply($0) }
    }
}

extension Reply {
    init(_ response: TestResponse) {
        status = Int(response.status.code)
        text = String(buffer: response.body)
        json = (try? JSONParser.parse(text)) ?? .null
    }
}

extension JSONValue {
    /// Follows a path of object keys and array indices, e.g. `["run", "info", "run_id"]`.
    subscript(path path: Any...) -> JSONValue? {
        var current: JSONValue? = self
        for step in path {
            if let key = step as? String {
                current = current?.objectValue?[key]
            } else if let index = step as? Int, let array = current?.arrayValue, index < array.count {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }
}
