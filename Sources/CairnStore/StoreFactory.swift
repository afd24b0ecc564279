import CairnCore

/// Opens a tracking store from a backend URI, choosing the backend by scheme.
///
/// - `sqlite:///relative.db`, `sqlite:////absolute/path.db` — a SQLite file (WAL mode).
/// - `memory:` or `sqlite://` / `sqlite:///:memory:` — a private in-memory SQLite database.
public enum StoreFactory {
    /// The parsed location of a store.
    public enum Location: Equatable, Sendable {
        case sqliteFile(path: String)
        case memory
    }

    /// Parses a backend store URI.
    public static func parse(uri: String) throws(MlflowError) -> Location {
        if uri == "memory:" || uri == "memory://" || uri == "sqlite://" || uri == "sqlite:///:memory:" {
            return .memory
        }
        guard uri.hasPrefix("sqlite:///") else {
            let scheme = uri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? uri
            throw .invalid(
                "Unsupported backend store URI '\(uri)' (scheme '\(scheme)'). "
                    + "Use sqlite:///relative.db, sqlite:////absolute/path.db or memory:.")
        }
        var path = String(uri.dropFirst("sqlite:///".count))
        if let q = path.firstIndex(of: "?") { path = String(path[..<q]) }
        guard !path.isEmpty else { throw .invalid("The backend store URI '\(uri)' names no database file.") }
        return .sqliteFile(path: path)
    }

    /// Opens (creating and migrating if needed) the store at `uri`.
    public static func open(uri: String, defaultArtifactRoot: String) throws -> SQLiteTrackingStore {
        switch try parse(uri: uri) {
        case .sqliteFile(let path): try SQLiteTrackingStore(path: path, defaultArtifactRoot: defaultArtifactRoot)
        case .memory: try SQLiteTrackingStore(inMemory: (), defaultArtifactRoot: defaultArtifactRoot)
        }
    }
}
