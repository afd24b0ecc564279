import CairnAuth
import CairnCore
import CairnServer
import CairnStore
import CairnStoreFactory
import Foundation
import Hummingbird
import HummingbirdTesting

@testable import CairnUI

/// What ``withAuthUIServer`` seeds: ana owns two experiments (a run in the first) and a registered
/// model with a version; bo holds the default READ, except DENY on the second experiment.
struct AuthSample: Sendable {
    var shared: String
    var denied: String
    var runId: String
    var store: any MetadataStore
}

/// A reply with the headers a sign-in test needs.
struct Reply {
    var status: Int
    var location: String?
    var setCookies: [String]
    var html: String

    /// The value this reply sets for cookie `name`, if it sets one.
    func cookie(_ name: String) -> String? {
        for header in setCookies where header.hasPrefix(name + "=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// The value of the first hidden `form_token` field of the page.
    var formToken: String? {
        guard let start = html.range(of: "name=\"form_token\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }
}

/// Runs `body` against the real router with `--auth` on, over a temporary SQLite file.
func withAuthUIServer<T: Sendable>(
    _ body: @Sendable (any TestClientProtocol, AuthSample) async throws -> T
) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-ui-auth-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try await StoreFactory.open(
        uri: "sqlite:///" + dir.appendingPathComponent("cairn.db").path, defaultArtifactRoot: "mlflow-artifacts:/")
    let artifacts = try LocalArtifactStore(root: dir.appendingPathComponent("artifacts").path)
    let auth = AuthService(store: store, hasher: PasswordHasher(logN: 10, blockSize: 8, parallelism: 1))
    let ana = try await auth.createUser(username: "ana", password: "ana-password", isAdmin: false)
    _ = try await auth.createUser(username: "bo", password: "bo-password", isAdmin: false)
    let shared = try await store.createExperiment(name: "ana shared", artifactLocation: nil, tags: [])
    let denied = try await store.createExperiment(name: "ana denied", artifactLocation: nil, tags: [])
    let run = try await store.createRun(
        NewRun(experimentId: shared, userId: "ana", runName: "ana-run", startTime: 1_700_000_000_000, tags: []))
    _ = try await store.createRegisteredModel(name: "ana-model", tags: [], description: nil)
    _ = try await store.createModelVersion(
        NewModelVersion(name: "ana-model", source: "runs:/\(run.info.runId)/model", runId: run.info.runId))
    for key in [GrantKey(.experiment, shared), GrantKey(.experiment, denied), GrantKey(.registeredModel, "ana-model")] {
        try await store.setGrant(userId: ana.id, key: key, permission: .manage)
    }
    try await auth.grant(username: "bo", key: GrantKey(.experiment, denied), permission: .deny)
    let sample = AuthSample(shared: shared, denied: denied, runId: run.info.runId, store: store)
    let app = Application(router: buildRouter(store: store, artifacts: artifacts, auth: auth))
    return try await app.test(.router) { client in try await body(client, sample) }
}

extension TestClientProtocol {
    /// Sends a request and keeps the status, `Location`, `Set-Cookie` headers and body.
    func send(
        _ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> Reply {
        try await execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            Reply(
                status: Int($0.status.code), location: $0.headers[.location],
                setCookies: $0.headers[values: .setCookie], html: String(buffer: $0.body))
        }
    }

    /// GETs a page as the browser holding `session`.
    func page(_ path: String, session: String) async throws -> Reply {
        try await send(path, headers: [.cookie: "\(LoginRoutes.cookieName)=\(session)"])
    }

    /// Posts a form from one of this server's pages, with the browser's session cookie when given.
    func postSessionForm(_ path: String, _ body: String, session: String? = nil, extra: HTTPFields = [:]) async throws
        -> Reply
    {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: "http://localhost"]
        if let session { headers[.cookie] = "\(LoginRoutes.cookieName)=\(session)" }
        headers.append(contentsOf: extra)
        return try await send(path, method: .post, headers: headers, body: body)
    }

    /// Signs in through the sign-in form; the reply's session cookie is set when it worked.
    func signIn(_ username: String, _ password: String, next: String = "/", extra: HTTPFields = [:]) async throws
        -> Reply
    {
        let body = "next=\(QueryString.encode(next))&username=\(username)&password=\(password)"
        return try await postSessionForm("/login", body, extra: extra)
    }
}
