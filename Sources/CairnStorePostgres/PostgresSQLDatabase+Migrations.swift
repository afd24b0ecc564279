import CairnStoreSQL

extension PostgresSQLDatabase {
    /// The schema migrations not yet applied.
    public func pendingMigrations() async throws -> [String] {
        try await PostgresSchema(database: self).pendingMigrations()
    }

    /// Applies the pending migrations under the schema's advisory lock.
    public func migrate() async throws {
        try await PostgresSchema(database: self).migrate()
    }

    /// Connects and, when `migrate` is set, brings the schema up to date (for the store factory).
    public static func open(uri: String, migrate: Bool) async throws -> PostgresSQLDatabase {
        let database = try await connect(uri: uri)
        if migrate {
            do {
                try await database.migrate()
            } catch {
                try? await database.close()
                throw error
            }
        }
        return database
    }

    /// The URI without its password; text that does not parse is cut before its user information.
    public static func redacted(_ uri: String) -> String {
        if let parsed = try? PostgresURI(parsing: uri, environment: [:]) { return parsed.redacted }
        guard let scheme = uri.range(of: "://") else { return "postgresql://…" }
        return String(uri[..<scheme.upperBound]) + "…"
    }
}
