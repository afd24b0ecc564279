import CairnCore
import CairnStore
import CairnStorePostgres
import CairnStoreSQL
import CairnStoreSQLite

/// Opens a tracking store from a backend URI, choosing the backend by scheme.
///
/// - `sqlite:///relative.db`, `sqlite:////absolute/path.db` — a SQLite file (WAL mode).
/// - `memory:` or `sqlite://` / `sqlite:///:memory:` — a private in-memory SQLite database.
/// - `postgresql://USER:PASS@HOST:PORT/DB` (or `postgres://`) — PostgreSQL, pooled connections.
///
/// ```swift
/// let store = try await StoreFactory.open(uri: "sqlite:///cairn.db", defaultArtifactRoot: "mlflow-artifacts:/")
/// ```
public enum StoreFactory {
    /// The parsed location of a store.
    public enum Location: Equatable, Sendable, CustomStringConvertible {
        case sqliteFile(path: String)
        case memory
        case postgres(uri: String)

        /// Where the data lives, for logs (no password).
        public var description: String {
            switch self {
            case .sqliteFile(let path): "SQLite \(path)"
            case .memory: "SQLite in memory (not persisted)"
            case .postgres(let uri): "PostgreSQL \(PostgresSQLDatabase.redacted(uri))"
            }
        }
    }

    /// Parses a backend store URI.
    public static func parse(uri: String) throws(MlflowError) -> Location {
        if uri == "memory:" || uri == "memory://" || uri == "sqlite://" || uri == "sqlite:///:memory:" {
            return .memory
        }
        if uri.hasPrefix("postgresql://") || uri.hasPrefix("postgres://") { return .postgres(uri: uri) }
        guard uri.hasPrefix("sqlite:///") else {
            let scheme = uri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? uri
            throw .invalid(
                "Unsupported backend store URI '\(uri)' (scheme '\(scheme)'). "
                    + "Use sqlite:///relative.db, sqlite:////absolute/path.db, postgresql://user@host:port/db "
                    + "or memory:.")
        }
        var path = String(uri.dropFirst("sqlite:///".count))
        if let q = path.firstIndex(of: "?") { path = String(path[..<q]) }
        guard !path.isEmpty else { throw .invalid("The backend store URI '\(uri)' names no database file.") }
        return .sqliteFile(path: path)
    }

    /// Opens the database at `uri`; `migrate` brings its schema up to date first.
    /// Without `migrate`, a schema that is behind is an error naming the command that upgrades it,
    /// unless `requireCurrentSchema` is false (for the command that upgrades it).
    public static func database(uri: String, migrate: Bool = true, requireCurrentSchema: Bool = true) async throws
        -> any SQLDatabase
    {
        let db: any SQLDatabase
        switch try parse(uri: uri) {
        case .sqliteFile(let path): db = try SQLiteDatabase(path: path, migrate: migrate)
        case .memory: db = try SQLiteDatabase(inMemory: ())
        case .postgres(let uri): db = try await PostgresSQLDatabase.open(uri: uri, migrate: migrate)
        }
        if !migrate && requireCurrentSchema {
            let pending = try await db.pendingMigrations()
            if !pending.isEmpty {
                try? await db.close()
                throw MlflowError.invalid(
                    "The database schema is behind (pending migrations: \(pending.joined(separator: ", "))). "
                        + "Run `cairn db upgrade \(uri)` first, or start without --no-migrate.")
            }
        }
        return db
    }

    /// Opens a database another program owns (such as an MLflow database to import from) as it is:
    /// never migrated nor checked against Cairn's schema, and read-only on SQLite.
    public static func foreignDatabase(uri: String) async throws -> any SQLDatabase {
        switch try parse(uri: uri) {
        case .sqliteFile(let path): return try SQLiteDatabase(readingOnly: path)
        case .memory: throw MlflowError.invalid("An in-memory database ('\(uri)') holds nothing to read.")
        case .postgres(let uri): return try await PostgresSQLDatabase.open(uri: uri, migrate: false)
        }
    }

    /// Opens (creating and migrating unless `migrate` is false) the store at `uri`.
    public static func open(uri: String, defaultArtifactRoot: String, migrate: Bool = true) async throws
        -> SQLTrackingStore
    {
        let db = try await database(uri: uri, migrate: migrate)
        return try await SQLTrackingStore.open(database: db, defaultArtifactRoot: defaultArtifactRoot)
    }
}
