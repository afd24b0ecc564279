import CairnStoreSQL
import PostgresNIO

/// Turns postgres-nio's errors into the store's, with the server's message and SQLSTATE.
///
/// postgres-nio's `PSQLError` describes itself generically on purpose; the fields it carries
/// (`serverInfo`, `code`, `underlying`) are read here instead, never its description.
enum PostgresErrors {
    /// SQLSTATE of a violated unique or primary-key constraint.
    static let uniqueViolation = "23505"
    /// SQLSTATEs after which the whole transaction may simply be run again.
    static let transientConflicts: Set<String> = ["40001", "40P01"]

    /// The SQLSTATE the server reported, if the error came from the server.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the server reported a serialization failure or a deadlock.
    static func isTransientConflict(_ error: any Error) -> Bool {
        sqlState(error).map(transientConflicts.contains) ?? false
    }

    /// The store's error for a failed query on the server at `endpoint`; errors that are not the
    /// driver's (the store's own, thrown from a transaction body) pass through unchanged.
    static func map(_ error: any Error, endpoint: String) -> any Error {
        if let pool = poolMessage(error, endpoint: endpoint) { return SQLStoreError.database(pool) }
        guard let psql = error as? PSQLError else { return error }
        if let info = psql.serverInfo {
            let text = serverMessage(info)
            return info[.sqlState] == uniqueViolation ? SQLStoreError.uniqueViolation(text) : .database(text)
        }
        return SQLStoreError.database(clientMessage(psql, endpoint: endpoint))
    }

    /// The store's error when opening a connection fails: unreachable server, refused login, missing database.
    static func connectFailure(_ error: any Error, uri: PostgresURI) -> SQLStoreError {
        let endpoint = uri.endpoint
        guard let psql = error as? PSQLError else {
            return .database("cannot connect to PostgreSQL at \(endpoint): \(String(reflecting: error))")
        }
        guard let info = psql.serverInfo else {
            return .database(clientMessage(psql, endpoint: endpoint))
        }
        switch info[.sqlState] {
        case "28P01", "28000":
            return .database(
                "PostgreSQL at \(endpoint) refused the login of user '\(uri.user)': \(serverMessage(info))")
        case "3D000":
            return .database("PostgreSQL at \(endpoint) has no database '\(uri.database)': \(serverMessage(info))")
        default:
            return .database("cannot connect to PostgreSQL at \(endpoint): \(serverMessage(info))")
        }
    }

    /// A message for the connection pool's own errors, which postgres-nio's pool module does not
    /// export for matching: recognised by their type and case names.
    static func poolMessage(_ error: any Error, endpoint: String) -> String? {
        guard String(describing: type(of: error)) == "ConnectionPoolError" else { return nil }
        let text = String(describing: error)
        if text.contains("CircuitBreakerTripped") {
            return "cannot open a connection to PostgreSQL at \(endpoint): the server has not answered for a while"
        }
        if text.contains("poolShutdown") { return "the connection pool for PostgreSQL at \(endpoint) is closed" }
        return "PostgreSQL connection pool for \(endpoint): \(text)"
    }

    /// `message (detail) [SQLSTATE xxxxx]` from the server's error fields.
    static func serverMessage(_ info: PSQLError.ServerInfo) -> String {
        var text = info[.message] ?? "server error"
        if let detail = info[.detail], !detail.isEmpty { text += " (\(detail))" }
        if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
        return text
    }

    /// A message for a failure on the client's side of the connection.
    static func clientMessage(_ error: PSQLError, endpoint: String) -> String {
        let cause = error.underlying.map { ": " + String(reflecting: $0) } ?? ""
        switch error.code {
        case .connectionError:
            return "cannot connect to PostgreSQL at \(endpoint)\(cause)"
        case .serverClosedConnection:
            return "PostgreSQL at \(endpoint) closed the connection\(cause)"
        case .clientClosedConnection, .poolClosed:
            return "the connection to PostgreSQL at \(endpoint) is closed"
        case .sslUnsupported:
            return "PostgreSQL at \(endpoint) does not accept TLS (sslmode=require or verify-full)"
        case .authMechanismRequiresPassword:
            return "PostgreSQL at \(endpoint) asks for a password and none was given (URI, PGPASSWORD or passfile)"
        default:
            return "PostgreSQL at \(endpoint): \(error.code)\(cause)"
        }
    }
}
