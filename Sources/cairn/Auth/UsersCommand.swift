import ArgumentParser
import CairnAuth
import CairnCore
import Foundation

/// `cairn users …`: accounts of a server run with `--auth`, managed on its database.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Create, list and change the users of a tracking server run with --auth.",
        discussion: """
            These commands work on the server's database directly (run them where the database is reachable); \
            over HTTP, administrators use MLflow's user endpoints (mlflow.server.auth.client.AuthServiceClient).

              cairn users create admin --admin              # asks for the password twice
              echo "$PASSWORD" | cairn users create ana     # reads it from standard input
              cairn users grant ana experiment 3 EDIT
              cairn users list
            """,
        subcommands: [
            UsersCreateCommand.self, UsersListCommand.self, UsersPasswordCommand.self, UsersAdminCommand.self,
            UsersDeleteCommand.self, UsersGrantCommand.self, UsersRevokeCommand.self,
        ])
}

struct UsersCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a user.")
    @Argument(help: "The user name.") var username: String
    @Flag(help: "Make the user an administrator.") var admin = false
    @OptionGroup var store: AuthStoreOptions

    func validate() throws {
        do { try AuthService.validate(username: username) } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        let password = try PasswordPrompt.read(prompt: "Password for \(username)")
        let user = try await store.withAuth { auth in
            try await auth.createUser(username: username, password: password, isAdmin: admin)
        }
        print("Created \(user.isAdmin ? "administrator" : "user") \(user.username) (id \(user.id)).")
    }
}

struct UsersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and their grants.")
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        let (users, grants) = try await store.withAuth { auth in
            (try await auth.store.listUsers(), try await auth.store.listGrants(username: nil))
        }
        if users.isEmpty {
            print("No users. Create an administrator with `cairn users create NAME --admin`.")
            return
        }
        for user in users {
            print("\(user.username)\(user.isAdmin ? " (administrator)" : "")")
            for g in grants where g.username == user.username {
                print("  \(g.permission.rawValue) on \(g.key.type.rawValue) \(g.key.id)")
            }
        }
    }
}

struct UsersPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password", abstract: "Set a user's password (their browser sessions end).")
    @Argument(help: "The user name.") var username: String
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        let password = try PasswordPrompt.read(prompt: "New password for \(username)")
        try await store.withAuth { try await $0.setPassword(username: username, password: password) }
        print("Password of \(username) changed.")
    }
}

struct UsersAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-admin", abstract: "Make a user an administrator, or (with --revoke) not.")
    @Argument(help: "The user name.") var username: String
    @Flag(help: "Take administrator rights away.") var revoke = false
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        try await store.withAuth { try await $0.setAdmin(username: username, isAdmin: !revoke) }
        print("\(username) is \(revoke ? "no longer" : "now") an administrator.")
    }
}

struct UsersDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a user with their grants, tokens and sessions.")
    @Argument(help: "The user name.") var username: String
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        try await store.withAuth { try await $0.deleteUser(username: username) }
        print("Deleted \(username).")
    }
}

struct UsersGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Grant a user a level on an experiment, a registered model or the workspace.")
    @Argument(help: "The user name.") var username: String
    @Argument(help: "experiment, registered_model or workspace.") var resourceType: String
    @Argument(help: "An experiment id, a model name, or * for all of the type.") var resourceId: String
    @Argument(help: "READ, USE, EDIT, MANAGE or DENY.") var permission: String
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        try await store.withAuth { auth in
            let key = GrantKey(try ResourceType(parsing: resourceType), resourceId)
            try await auth.grant(username: username, key: key, permission: try Permission(parsing: permission))
        }
        print("\(username): \(permission) on \(resourceType) \(resourceId).")
    }
}

struct UsersRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Remove a user's grant.")
    @Argument(help: "The user name.") var username: String
    @Argument(help: "experiment, registered_model or workspace.") var resourceType: String
    @Argument(help: "An experiment id, a model name, or *.") var resourceId: String
    @OptionGroup var store: AuthStoreOptions

    func run() async throws {
        try await store.withAuth { auth in
            try await auth.revoke(
                username: username, key: GrantKey(try ResourceType(parsing: resourceType), resourceId))
        }
        print("Revoked \(username)'s grant on \(resourceType) \(resourceId).")
    }
}
