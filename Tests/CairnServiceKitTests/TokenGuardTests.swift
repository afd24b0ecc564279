import CairnCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import CairnServiceKit

/// A router like a service's: open probes and metrics, a guarded route, the kit's error rendering.
func guardedApp(_ tokens: AccessTokens) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: ServiceErrorMiddleware { PlainError($0, $1) })
    router.requireTokens(tokens, openPaths: ["/health", "/metrics"]) { PlainError($0, $1) }
    router.get("/health") { _, _ in "ok" }
    router.get("/metrics") { _, _ in "metrics" }
    router.post("/predict") { _, _ in "predicted" }
    return Application(router: router)
}

struct Answer {
    var status: Int
    var body: String
    var challenge: String?
}

extension TestClientProtocol {
    func post(_ path: String, authorization: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [:]
        if let authorization { headers[.authorization] = authorization }
        return try await execute(uri: path, method: .post, headers: headers) {
            Answer(status: Int($0.status.code), body: String(buffer: $0.body), challenge: $0.headers[.wwwAuthenticate])
        }
    }
}

func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

@Test func requestsWithoutAnAcceptedTokenGet401InTheServiceShape() async throws {
    try await withFolder { dir in
        let path = dir + "/tokens"
        try write("\(tokenA)\n", to: path)
        let tokens = try AccessTokens(path: path, logger: Logger(label: "test"))
        try await guardedApp(tokens).test(.router) { client in
            let missing = try await client.post("/predict")
            #expect(missing.status == 401)
            #expect(missing.challenge == "Bearer realm=\"cairn\"")
            #expect(try JSONParser.parse(missing.body).objectValue?["error"]?.stringValue?.contains("Bearer") == true)
            for wrong in [
                "Bearer \(tokenB)", "Bearer " + tokenA.dropLast(), "Bearer", "Token \(tokenA)", basic(tokenA, ""),
                basic("user", tokenB), "Basic not-base64!", tokenA,
            ] {
                let refused = try await client.post("/predict", authorization: wrong)
                #expect(refused.status == 401, "\(wrong)")
                #expect(refused.challenge == "Bearer realm=\"cairn\"")
                #expect(!refused.body.contains(tokenA) && !refused.body.contains(tokenB))
            }
            // An unknown route is refused before it is looked up: no token, no route map.
            #expect(try await client.post("/nowhere").status == 401)
            for right in ["Bearer \(tokenA)", "bearer  \(tokenA) ", basic("anyone", tokenA), basic("", tokenA)] {
                let allowed = try await client.post("/predict", authorization: right)
                #expect(allowed.status == 200, "\(right)")
                #expect(allowed.body == "predicted")
            }
            #expect(try await client.post("/nowhere", authorization: "Bearer \(tokenA)").status == 404)
            let health = try await client.execute(uri: "/health", method: .get) { $0 }
            #expect(health.status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get) { $0 }
            #expect(metrics.status == .ok && String(buffer: metrics.body) == "metrics")
        }
    }
}

@Test func aChangedFileIsReadAgainAndABrokenOneKeepsTheTokensReadBefore() throws {
    try withFolder { dir in
        let path = dir + "/tokens"
        try write("\(tokenA)\n", to: path)
        let tokens = try AccessTokens(path: path, checkInterval: .zero, logger: Logger(label: "test"))
        #expect(tokens.accepts(Array(tokenA.utf8)) && !tokens.accepts(Array(tokenB.utf8)))
        // Rotation: a new file (another inode, size and time) replaces the old one.
        try write("\(tokenB)\n", to: path + ".new")
        #expect(rename(path + ".new", path) == 0)
        #expect(tokens.accepts(Array(tokenB.utf8)))
        #expect(!tokens.accepts(Array(tokenA.utf8)))
        // Broken in every way a rotation can go wrong: the last good tokens stay.
        try write("# emptied\n", to: path)
        #expect(tokens.accepts(Array(tokenB.utf8)))
        try write("\(tokenA)\n", to: path, mode: 0o604)
        #expect(tokens.accepts(Array(tokenB.utf8)) && !tokens.accepts(Array(tokenA.utf8)))
        try FileManager.default.removeItem(atPath: path)
        #expect(tokens.accepts(Array(tokenB.utf8)))
        // Fixed again: read at the next check.
        try write("\(tokenA)\n\(tokenB)\n", to: path)
        #expect(tokens.accepts(Array(tokenA.utf8)) && tokens.count == 2)
    }
}

@Test func theFileIsNotLookedAtBeforeTheCheckIsDue() throws {
    try withFolder { dir in
        let path = dir + "/tokens"
        try write("\(tokenA)\n", to: path)
        let tokens = try AccessTokens(path: path, checkInterval: .seconds(3600), logger: Logger(label: "test"))
        try write("\(tokenB)\n", to: path + ".new")
        #expect(rename(path + ".new", path) == 0)
        #expect(tokens.accepts(Array(tokenA.utf8)) && !tokens.accepts(Array(tokenB.utf8)))
        tokens.refreshIfDue(now: .now + .seconds(3601))
        #expect(tokens.accepts(Array(tokenB.utf8)) && !tokens.accepts(Array(tokenA.utf8)))
    }
}

@Test func credentialsAreTakenFromBearerAndBasicHeaders() {
    #expect(TokenGuardMiddleware<BasicRequestContext>.credential("Bearer abc") == Array("abc".utf8))
    #expect(TokenGuardMiddleware<BasicRequestContext>.credential("BEARER  abc ") == Array("abc".utf8))
    #expect(TokenGuardMiddleware<BasicRequestContext>.credential(basic("u", "p:w")) == Array("p:w".utf8))
    #expect(
        TokenGuardMiddleware<BasicRequestContext>.credential("Basic " + Data("nocolon".utf8).base64EncodedString())
            == nil)
    #expect(TokenGuardMiddleware<BasicRequestContext>.credential("Bearer ") == nil)
    #expect(TokenGuardMiddleware<BasicRequestContext>.credential(nil) == nil)
    #expect(TokenGuardMiddleware<BasicRequestContext>.credential("Digest abc") == nil)
}
