import CairnCore
import Foundation
import GRDB

/// The tracking store on SQLite, through GRDB.
///
/// A file database runs in WAL mode with `synchronous=NORMAL`: committed transactions survive a
/// crash of the process (including `kill -9`), readers never block the writer, and concurrent
/// writers wait up to 30 s on each other instead of failing with "database is locked".
/// LIKE is made case-sensitive on every connection, as the MLflow search grammar requires.
public final class SQLiteTrackingStore: TrackingStore {
    let db: any DatabaseWriter
    /// The root that new experiments get their artifact location under.
    public let defaultArtifactRoot: String
    /// Where the database lives (a file path, or `:memory:`).
    public let location: String

    /// Opens or creates the database file at `path` and migrates it.
    public init(path: String, defaultArtifactRoot: String) throws {
        let pool = try DatabasePool(path: path, configuration: Self.configuration())
        self.db = pool
        self.defaultArtifactRoot = defaultArtifactRoot
        self.location = path
        try setUp()
    }

    /// Creates a private in-memory database (used by tests and `memory:` URIs).
    public init(inMemory: Void, defaultArtifactRoot: String) throws {
        self.db = try DatabaseQueue(configuration: Self.configuration())
        self.defaultArtifactRoot = defaultArtifactRoot
        self.location = ":memory:"
        try setUp()
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA case_sensitive_like = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return config
    }

    private func setUp() throws {
        try Schema.migrator.migrate(db)
        let root = defaultArtifactRoot
        try db.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM experiments WHERE experiment_id = 0)")
            if exists != true {
                let now = Self.now()
                try db.execute(
                    sql: """
                        INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
                                                 creation_time, last_update_time)
                        VALUES (0, 'Default', ?, 'active', ?, ?)
                        """,
                    arguments: [Self.join(root, "0"), now, now])
            }
        }
    }

    /// Milliseconds since the epoch.
    static func now() -> Int64 { WallClock.nowMillis() }

    /// Joins a URI root and a child segment with exactly one slash.
    static func join(_ root: String, _ child: String) -> String { ArtifactPath.join(root, child) }

    /// Runs a write transaction, turning GRDB errors into clean messages.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await db.write(body)
        } catch let e as MlflowError {
            throw e
        } catch let e as DatabaseError {
            throw MlflowError(.internalError, "Database error: \(e.message ?? e.description)")
        }
    }

    /// Runs a read.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await db.read(body)
        } catch let e as MlflowError {
            throw e
        } catch let e as DatabaseError {
            throw MlflowError(.internalError, "Database error: \(e.message ?? e.description)")
        }
    }

    /// Runs `body` on consecutive slices of at most `size` items: batched loads bind one
    /// variable per item, and SQLite caps the number of variables in a statement.
    static func inChunks<T>(_ items: [T], of size: Int = 500, _ body: ([T]) throws -> Void) rethrows {
        for start in stride(from: 0, to: items.count, by: size) {
            try body(Array(items[start..<min(start + size, items.count)]))
        }
    }
}
