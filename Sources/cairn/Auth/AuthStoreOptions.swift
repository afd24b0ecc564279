import ArgumentParser
import CairnAuth
import CairnCore
import CairnStoreFactory
import CairnStoreSQL
import Foundation

/// The store the user, token and audit commands work on: the same database as `cairn server`.
struct AuthStoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The tracking server's backend store (sqlite:///cairn.db, postgresql://…).", valueName: "uri"))
    var backendStoreUri = "sqlite:///cairn.db"

    func validate() throws {
        do {
            _ = try StoreFactory.parse(uri: backendStoreUri)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Opens the store (migrating it), runs `body` with the auth service, closes the store; MLflow errors
    /// become one line and exit code 1.
    func withAuth<T>(_ body: (AuthService) async throws -> T) async throws -> T {
        let store: SQLTrackingStore
        do {
            store = try await StoreFactory.open(uri: backendStoreUri, defaultArtifactRoot: "mlflow-artifacts:/")
        } catch {
            Console.err("error: cannot open the store '\(backendStoreUri)': \(error)\n")
            throw ExitCode.failure
        }
        do {
            let result = try await body(AuthService(store: store))
            try await store.close()
            return result
        } catch let error as MlflowError {
            try? await store.close()
            Console.err("error: \(error.message)\n")
            throw ExitCode.failure
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// Reads a new password: from standard input when it is not a terminal (one line), else typed twice
/// without echo.
enum PasswordPrompt {
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) == 0 {
            guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("No password on standard input.")
            }
            return line
        }
        guard let first = getpass("\(prompt): ").map({ String(cString: $0) }) else {
            throw ValidationError("Could not read the password.")
        }
        guard let second = getpass("Again: ").map({ String(cString: $0) }), second == first else {
            throw ValidationError("The two passwords differ.")
        }
        return first
    }
}
