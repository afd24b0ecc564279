import CairnStoreSQL
import Foundation
import Testing

@testable import CairnStorePostgres

@Suite("PostgreSQL URIs")
struct PostgresURITests {
    let environment = ["USER": "fallback"]

    @Test func fullForm() throws {
        let uri = try PostgresURI(
            parsing: "postgresql://alice:s3cret@db.example.com:6543/tracking?sslmode=require", environment: environment)
        #expect(uri.user == "alice")
        #expect(uri.password == "s3cret")
        #expect(uri.host == "db.example.com")
        #expect(uri.port == 6543)
        #expect(uri.database == "tracking")
        #expect(uri.sslMode == .require)
        #expect(uri.redacted == "postgresql://alice@db.example.com:6543/tracking?sslmode=require")
        #expect(!"\(uri)".contains("s3cret"))
    }

    @Test func shortSchemeAndDefaults() throws {
        let uri = try PostgresURI(parsing: "postgres://", environment: ["PGUSER": "bob"])
        #expect(uri.user == "bob")
        #expect(uri.host == "localhost")
        #expect(uri.port == 5432)
        #expect(uri.database == "bob")
        #expect(uri.password == nil)
        #expect(uri.sslMode == .prefer)
        #expect(uri.tlsConfiguration == nil)
    }

    @Test func currentUserWhenNoneIsGiven() throws {
        let uri = try PostgresURI(parsing: "postgresql://db/x", environment: [:])
        #expect(!uri.user.isEmpty)
        #expect(uri.database == "x")
    }

    @Test func percentDecoding() throws {
        let uri = try PostgresURI(
            parsing: "postgresql://us%40er:p%3Aa%2Fss%25@[::1]:5433/my%20db", environment: environment)
        #expect(uri.user == "us@er")
        #expect(uri.password == "p:a/ss%")
        #expect(uri.host == "::1")
        #expect(uri.port == 5433)
        #expect(uri.database == "my db")
        #expect(uri.redacted == "postgresql://us%40er@[::1]:5433/my%20db")
    }

    @Test func unixSocketHost() throws {
        let uri = try PostgresURI(parsing: "postgresql://cairn@%2Ftmp%2Fpg:5444/cairn", environment: environment)
        #expect(uri.isUnixSocket)
        #expect(uri.endpoint == "/tmp/pg/.s.PGSQL.5444")
    }

    @Test func sslModes() throws {
        for mode in PostgresURI.SSLMode.allCases {
            let uri = try PostgresURI(parsing: "postgresql://h/d?sslmode=\(mode.rawValue)", environment: environment)
            #expect(uri.sslMode == mode)
            switch mode {
            case .disable, .prefer: #expect(uri.tlsConfiguration == nil)
            case .require:
                #expect(uri.tlsConfiguration.map { "\($0.certificateVerification)".hasPrefix("none") } == true)
            case .verifyFull:
                #expect(uri.tlsConfiguration.map { "\($0.certificateVerification)" } == "fullVerification")
            }
        }
    }

    @Test func passwordFromEnvironment() throws {
        let env = ["PGUSER": "u", "PGPASSWORD": "from-env"]
        #expect(try PostgresURI(parsing: "postgresql://h/d", environment: env).password == "from-env")
        #expect(try PostgresURI(parsing: "postgresql://u:given@h/d", environment: env).password == "given")
    }

    @Test func passwordFromPassFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = """
            # comment
            other:5432:*:alice:wrong
            db.example.com:5432:tracking:bob:not-bob
            db.example.com:*:tracking:alice:pa\\:ss\\\\word
            *:*:*:*:fallback:with:colons
            short:line
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let fromQuery = try PostgresURI(
            parsing: "postgresql://alice@db.example.com/tracking?passfile=\(path)", environment: environment)
        #expect(fromQuery.password == "pa:ss\\word")
        let fromEnvironment = try PostgresURI(
            parsing: "postgresql://carol@elsewhere/x", environment: ["PGPASSFILE": path])
        #expect(fromEnvironment.password == "fallback:with:colons")
        let uriWins = try PostgresURI(
            parsing: "postgresql://alice:direct@db.example.com/tracking?passfile=\(path)", environment: environment)
        #expect(uriWins.password == "direct")
    }

    @Test func missingPassFileIsAnError() {
        #expect(throws: SQLStoreError.self) {
            try PostgresURI(parsing: "postgresql://h/d?passfile=/nonexistent/pgpass", environment: environment)
        }
    }

    @Test(arguments: [
        ("mysql://h/d", "scheme"),
        ("postgresql:/h/d", "expected postgresql://"),
        ("postgresql://h:99999/d", "port"),
        ("postgresql://h:abc/d", "port"),
        ("postgresql://us%4", "percent-escape"),
        ("postgresql://h/d%ZZ", "percent-escape"),
        ("postgresql://h/d?sslmode=allow", "sslmode"),
        ("postgresql://h/d?colour=blue", "unknown query parameter"),
        ("postgresql://h/d?sslmode", "no '=value'"),
        ("postgresql://u:pa/ss@h/d", "percent-encode"),
        ("postgresql://u:pa?ss@h/d", "percent-encode"),
        ("postgresql://h1,h2/d", "several hosts"),
        ("postgresql://[::1/d", "unclosed"),
        ("postgresql://h/d/extra", "single database name"),
        ("postgresql://h/d#frag", "fragments"),
        ("postgresql://h/%FF", "UTF-8"),
    ])
    func badURIs(text: String, reason: String) {
        do {
            _ = try PostgresURI(parsing: text, environment: ["USER": "u"])
            Issue.record("\(text) parsed")
        } catch {
            #expect("\(error)".contains("invalid PostgreSQL URI"))
            #expect("\(error)".contains(reason), "\(error)")
            #expect(!"\(error)".contains("ss@"), "\(error)")
        }
    }

    @Test func refusedConnectionNamesTheServerButNotThePassword() async throws {
        do {
            let database = try await PostgresSQLDatabase.connect(uri: "postgresql://u:topsecret@127.0.0.1:1/d")
            try await database.close()
            Issue.record("connected to port 1")
        } catch {
            let message = "\(error)"
            #expect(message.contains("127.0.0.1:1"), "\(message)")
            #expect(message.contains("connect"), "\(message)")
            #expect(!message.contains("topsecret"))
        }
    }
}
