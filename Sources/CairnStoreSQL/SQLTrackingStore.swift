import CairnCore
import CairnStore

/// The tracking store and model registry on a relational database, one SQL text for every backend.
///
/// The MLflow rules come from ``StoreRules`` and ``RegistryRules``; what differs between databases
/// (placeholders, row locks, LIKE escapes, the schema) is the driver's ``SQLDatabase``. Every write
/// is one transaction; rows a write depends on are read with the dialect's row lock, so servers
/// sharing one database queue on each other instead of racing.
///
/// ```swift
/// let store = try await SQLTrackingStore.open(database: db, defaultArtifactRoot: "mlflow-artifacts:/")
/// let id = try await store.createExperiment(name: "demo", artifactLocation: nil, tags: [])
/// ```
public final class SQLTrackingStore: TrackingStore {
    /// The database.
    public let database: any SQLDatabase
    /// The root that new experiments get their artifact location under.
    public let defaultArtifactRoot: String
    /// Where the data lives, for messages.
    public var location: String { database.location }

    private init(database: any SQLDatabase, defaultArtifactRoot: String) {
        self.database = database
        self.defaultArtifactRoot = defaultArtifactRoot
    }

    /// Opens the store on a migrated database, creating the Default experiment (id 0) if missing.
    public static func open(database: any SQLDatabase, defaultArtifactRoot: String) async throws -> SQLTrackingStore {
        let store = SQLTrackingStore(database: database, defaultArtifactRoot: defaultArtifactRoot)
        let location = join(defaultArtifactRoot, "0")
        try await store.write { s in
            guard try !s.exists("SELECT 1 FROM experiments WHERE experiment_id = 0") else { return }
            let now = Self.now()
            try s.execute(
                """
                INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
                                         creation_time, last_update_time)
                VALUES (0, 'Default', \(location), 'active', \(now), \(now))
                ON CONFLICT DO NOTHING
                """)
        }
        return store
    }

    /// Closes the database connections.
    public func close() async throws { try await database.close() }

    /// Milliseconds since the epoch.
    static func now() -> Int64 { WallClock.nowMillis() }

    /// Joins a URI root and a child segment with exactly one slash.
    static func join(_ root: String, _ child: String) -> String { ArtifactPath.join(root, child) }

    /// Runs a write transaction; database failures become clean internal errors.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch let e as SQLStoreError {
            throw MlflowError(.internalError, "Database error: \(e)")
        }
    }

    /// Runs a read.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let e as SQLStoreError {
            throw MlflowError(.internalError, "Database error: \(e)")
        }
    }

    /// ` AND column IN/NOT IN (…)` restricting a search to what the caller may see; experiment ids
    /// (`numeric`) that are not numbers name no row.
    static func visibleCondition(_ column: String, _ visible: Visibility, numeric: Bool) -> SQLStatement {
        func list(_ ids: Set<String>) -> [SQLValue] {
            numeric ? ids.compactMap { Int64($0) }.sorted().map { .int($0) } : ids.sorted().map { .text($0) }
        }
        switch visible {
        case .all: return ""
        case .only(let ids):
            let values = list(ids)
            return values.isEmpty ? " AND 1 = 0" : " AND \(sql: column) IN \(values)"
        case .except(let ids):
            let values = list(ids)
            return values.isEmpty ? "" : " AND \(sql: column) NOT IN \(values)"
        }
    }

    /// Runs `body` on consecutive slices of at most `size` items, keeping bound lists short.
    static func inChunks<T>(_ items: [T], of size: Int = 500, _ body: ([T]) throws -> Void) rethrows {
        for start in stride(from: 0, to: items.count, by: size) {
            try body(Array(items[start..<min(start + size, items.count)]))
        }
    }
}

extension SQLSession {
    /// Inserts rows, replacing the non-key columns of rows whose key exists. When one key comes
    /// twice the last row wins (one statement may not update a row twice).
    func upsert(into table: String, key: [String], set: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        var position: [ArraySlice<SQLValue>: Int] = [:]
        var unique: [[SQLValue]] = []
        for row in rows {
            let k = row.prefix(key.count)
            if let i = position[k] {
                unique[i] = row
            } else {
                position[k] = unique.count
                unique.append(row)
            }
        }
        let update = set.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try insertMany(
            into: table, columns: key + set, rows: unique,
            suffix: "ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(update)")
    }

    /// Inserts rows, skipping those whose key exists.
    func insertNew(into table: String, columns: [String], rows: [[SQLValue]]) throws {
        guard !rows.isEmpty else { return }
        try insertMany(into: table, columns: columns, rows: rows, suffix: "ON CONFLICT DO NOTHING")
    }
}
