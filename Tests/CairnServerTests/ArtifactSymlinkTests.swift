import CairnCore
import CairnStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Symbolic links inside the artifacts folder must not let a client read, write, list or delete
/// anything outside it.
@Suite("Artifact store and symbolic links")
struct ArtifactSymlinkTests {
    /// A folder outside the artifact root holding `secret.txt`, and links to it inside the root.
    struct Outside {
        var folder: String
        var secret: String { folder + "/secret.txt" }

        init(linkingFrom root: String) throws {
            folder =
                FileManager.default.temporaryDirectory.appendingPathComponent("cairn-outside-\(UUID().uuidString)")
                .path
            let fm = FileManager.default
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("top secret".utf8).write(to: URL(fileURLWithPath: folder + "/secret.txt"))
            try fm.createDirectory(atPath: root + "/0/r/artifacts/inside", withIntermediateDirectories: true)
            try Data("fine".utf8).write(to: URL(fileURLWithPath: root + "/0/r/artifacts/inside/ok.txt"))
            try fm.createSymbolicLink(atPath: root + "/0/r/artifacts/escape", withDestinationPath: folder)
            try fm.createSymbolicLink(atPath: root + "/0/r/artifacts/secret.txt", withDestinationPath: secret)
            try fm.createSymbolicLink(atPath: root + "/0/r/artifacts/dangling", withDestinationPath: folder + "/none")
            try fm.createSymbolicLink(atPath: root + "/0/r/artifacts/alias", withDestinationPath: "inside")
        }
    }

    static let proxy = "/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/"

    @Test func proxyRefusesLinksThatLeaveTheRoot() async throws {
        try await withTestServer { client, root in
            let outside = try Outside(linkingFrom: root)
            defer { try? FileManager.default.removeItem(atPath: outside.folder) }

            for path in ["escape/secret.txt", "secret.txt", "dangling"] {
                let got = try await client.get(Self.proxy + path)
                #expect(got.status == 400, "GET \(path)")
                #expect(!got.text.contains("top secret"))
                #expect(got["error_code"] == .string("INVALID_PARAMETER_VALUE"))
            }
            for path in ["escape/new.txt", "secret.txt", "dangling", "escape/sub/new.txt"] {
                let put = try await client.execute(
                    uri: Self.proxy + path, method: .put, body: ByteBuffer(string: "overwritten")
                ) { Reply($0) }
                #expect(put.status == 400, "PUT \(path)")
            }
            #expect(!FileManager.default.fileExists(atPath: outside.folder + "/new.txt"))
            #expect(!FileManager.default.fileExists(atPath: outside.folder + "/sub"))
            #expect(try String(contentsOfFile: outside.secret, encoding: .utf8) == "top secret")
            for path in ["escape/secret.txt", "escape", "secret.txt"] {
                let deleted = try await client.execute(uri: Self.proxy + path, method: .delete) { Reply($0) }
                #expect(deleted.status == 400, "DELETE \(path)")
            }
            #expect(FileManager.default.fileExists(atPath: outside.secret))

            let listEscape = try await client.get("/api/2.0/mlflow-artifacts/artifacts?path=0/r/artifacts/escape")
            #expect(listEscape.status == 400)
            let listed = try await client.get("/api/2.0/mlflow-artifacts/artifacts?path=0/r/artifacts")
            let names = (listed.json[path: "files"]?.arrayValue ?? []).compactMap { $0[path: "path"]?.stringValue }
            #expect(names == ["alias", "inside"])

            // A link that stays inside the root still works.
            let inside = try await client.get(Self.proxy + "alias/ok.txt")
            #expect(inside.status == 200 && inside.text == "fine")
        }
    }

    @Test func storeResolvesToRealPathsInsideTheRoot() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-links-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try LocalArtifactStore(root: dir + "/artifacts")
        let outside = try Outside(linkingFrom: store.root)
        defer { try? FileManager.default.removeItem(atPath: outside.folder) }

        #expect(throws: MlflowError.self) { try store.resolve("0/r/artifacts/escape/secret.txt") }
        #expect(throws: MlflowError.self) { try store.prepareUpload("0/r/artifacts/escape/x/y.txt") }
        #expect(throws: MlflowError.self) { try store.delete("0/r/artifacts/escape") }
        #expect(throws: MlflowError.self) { try store.list("0/r/artifacts/escape") }
        #expect(try store.resolve("0/r/artifacts/alias/ok.txt") == store.root + "/0/r/artifacts/inside/ok.txt")
        #expect(try store.resolve("0/r/artifacts/new/deeper.txt") == store.root + "/0/r/artifacts/new/deeper.txt")
        #expect(FileManager.default.fileExists(atPath: outside.secret))
    }

    @Test func overlongSegmentsAreClientErrors() async throws {
        try await withTestServer { client, _ in
            let long = String(repeating: "a", count: 300)
            let put = try await client.execute(
                uri: Self.proxy + long, method: .put, body: ByteBuffer(string: "x")
            ) { Reply($0) }
            #expect(put.status == 400)
            #expect(put["error_code"] == .string("INVALID_PARAMETER_VALUE"))
            let deep = Array(repeating: String(repeating: "b", count: 200), count: 30).joined(separator: "/")
            let tooDeep = try await client.execute(
                uri: Self.proxy + deep, method: .put, body: ByteBuffer(string: "x")
            ) { Reply($0) }
            #expect(tooDeep.status == 400)
            let get = try await client.get(Self.proxy + long)
            #expect(get.status == 400)
        }
    }
}
