import ArgumentParser
import CairnAuth
import CairnCore
import Foundation

/// `cairn tokens …`: API tokens for services and scripts (`MLFLOW_TRACKING_TOKEN`).
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke API tokens of a tracking server run with --auth.",
        discussion: """
            A token acts as its user. It is printed once; only its SHA-256 is stored. Clients send it as \
            MLFLOW_TRACKING_TOKEN (Authorization: Bearer).

              cairn tokens create --user ci --expires 90d --name nightly
              cairn tokens list
              cairn tokens revoke tok_1a2b3c4d5e
            """,
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self])
}

/// A duration such as `90d`, `12h`, `30m` or `never`.
enum TokenLifetime {
    static func milliseconds(_ text: String) -> Int64?? {
        if text == "never" { return .some(nil) }
        guard let unit = text.last, let n = Int64(text.dropLast()), n > 0 else { return nil }
        switch unit {
        case "d": return n * 86_400_000
        case "h": return n * 3_600_000
        case "m": return n * 60_000
        case "s": return n * 1000
        default: return nil
        }
    }
}

struct TokensCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a token for a user.")
    @Option(help: "The user the token acts as.") var user: String
    @Option(help: ArgumentHelp("Lifetime: 90d, 12h, 30m, or never.", valueName: "duration")) var expires = "90d"
    @Option(help: "A name to recognise the token by.") var name = ""
    @OptionGroup var store: AuthStoreOptions

    func validate() throws {
        guard TokenLifetime.milliseconds(expires) != nil else {
            throw ValidationError("--expires takes a number and a unit (d, h, m, s), e.g. 90d, or never.")
        }
    }

    func run() async throws {
        let lifetime = TokenLifetime.milliseconds(expires) ?? nil
        let (token, secret) = try await store.withAuth { auth in
            try await auth.createToken(username: user, name: name, lifetimeMillis: lifetime)
        }
        let until = token.expiresAt.map { "expires \(Self.date($0))" } ?? "never expires"
        Console.err("Token \(token.id) for \(user) (\(until)). It is shown only now:\n")
        print(secret)
    }

    static func date(_ millis: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}

struct TokensListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never their secrets).")
    @Option(help: "Only this user's tokens.") var user: String?
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        let tokens = try await store.withAuth { try await $0.store.listTokens(username: user) }
        if tokens.isEmpty { print("No tokens.") }
        let now = WallClock.nowMillis()
        for t in tokens {
            let state =
                t.revokedAt != nil
                ? "revoked"
                : t.isValid(at: now)
                    ? (t.expiresAt.map { "until \(TokensCreateCommand.date($0))" } ?? "no expiry") : "expired"
            print(
                "\(t.id)  \(t.username)  \(t.name.isEmpty ? "-" : t.name)  created \(TokensCreateCommand.date(t.createdAt))  \(state)"
            )
        }
    }
}

struct TokensRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id.")
    @Argument(help: "The token id (tok_…).") var id: String
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        let revoked = try await store.withAuth { try await $0.store.revokeToken(id: id, at: WallClock.nowMillis()) }
        guard revoked else {
            Console.err("error: no unrevoked token has the id \(id) (see `cairn tokens list`).\n")
            throw ExitCode.failure
        }
        print("Revoked \(id).")
    }
}
