import CairnCore
import CairnStore

/// Makes sure a server started with authentication has an administrator, without any default password.
///
/// When no administrator exists, one is created from `CAIRN_ADMIN_USERNAME` (default `admin`) and
/// `CAIRN_ADMIN_PASSWORD` (or MLflow's `MLFLOW_AUTH_ADMIN_PASSWORD`); with neither password set the
/// server refuses to start and says how to create one.
public enum AdminBootstrap {
    /// What happened at start-up.
    public enum Outcome: Sendable, Equatable {
        /// An administrator already existed.
        case existing
        /// This administrator was created from the environment.
        case created(String)
    }

    /// A server that cannot start for lack of an administrator.
    public struct MissingAdmin: Error, CustomStringConvertible {
        public var description: String
    }

    /// Ensures an administrator exists, creating one from the environment if needed.
    public static func ensureAdmin(_ auth: AuthService, environment: [String: String]) async throws -> Outcome {
        if try await auth.store.adminCount() > 0 { return .existing }
        let username = environment["CAIRN_ADMIN_USERNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "admin"
        guard
            let password = environment["CAIRN_ADMIN_PASSWORD"] ?? environment["MLFLOW_AUTH_ADMIN_PASSWORD"],
            !password.isEmpty
        else {
            throw MissingAdmin(
                description: """
                    --auth needs an administrator and none exists. Create one with \
                    `cairn users create NAME --admin` (same --backend-store-uri), or set CAIRN_ADMIN_PASSWORD \
                    (and optionally CAIRN_ADMIN_USERNAME, default admin) for the first start.
                    """)
        }
        if try await auth.store.user(named: username) != nil {
            try await auth.setAdmin(username: username, isAdmin: true)
        } else {
            try await auth.createUser(username: username, password: password, isAdmin: true)
        }
        return .created(username)
    }
}
