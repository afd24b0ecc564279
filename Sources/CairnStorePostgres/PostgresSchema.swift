import CairnStoreSQL
import Foundation

/// Versioned migrations of the tracking database on PostgreSQL.
///
/// ```swift
/// let schema = PostgresSchema(database: database)
/// print(try await schema.pendingMigrations())  // ["v1-tracking", "v2-registry", "v3-search-indexes"]
/// try await schema.migrate()
/// ```
///
/// Applied names are recorded in `cairn_schema_migrations`. All pending steps run in one transaction
/// that first takes a transaction-scoped advisory lock, so replicas starting together apply each
/// step once: the others wait, then find nothing left to do.
public struct PostgresSchema: Sendable {
    /// The advisory lock key that serialises migrations ("CAIRN" and 1 in its bytes).
    public static let advisoryLockKey: Int64 = 0x4341_4952_4E00_0001

    /// The database migrated.
    public let database: PostgresSQLDatabase

    /// The schema of `database`.
    public init(database: PostgresSQLDatabase) {
        self.database = database
    }

    /// Applies every pending migration in order and returns the names applied (empty when up to date).
    @discardableResult public func migrate() async throws -> [String] {
        try await database.write { transaction in
            try transaction.execute("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))")
            try transaction.execute(
                "CREATE TABLE IF NOT EXISTS cairn_schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT)")
            let applied = Set(try transaction.column(String.self, "SELECT version FROM cairn_schema_migrations"))
            var done: [String] = []
            for migration in Self.migrations where !applied.contains(migration.name) {
                for statement in migration.statements { try transaction.execute(SQLStatement(sql: statement)) }
                let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
                try transaction.execute(
                    "INSERT INTO cairn_schema_migrations (version, applied_at) VALUES (\(migration.name), \(now))")
                done.append(migration.name)
            }
            return done
        }
    }

    /// The names of the migrations not applied yet, in order.
    public func pendingMigrations() async throws -> [String] {
        try await database.read { transaction in
            let applied = try Self.appliedMigrations(transaction)
            return Self.migrations.map(\.name).filter { !applied.contains($0) }
        }
    }

    /// Moves the identity sequence of `table.column` past the largest stored value, after an import
    /// that inserted explicit ids, so that the next generated id does not collide.
    public func resetIdentity(table: String, column: String) async throws {
        for name in [table, column] where !Self.isPlainIdentifier(name) {
            throw SQLStoreError.database("'\(name)' is not a plain lower-case SQL identifier")
        }
        try await database.write { transaction in
            let sequence = try transaction.scalar(
                String.self, "SELECT pg_get_serial_sequence(\(table), \(column))")
            guard let sequence else {
                throw SQLStoreError.database("\(table).\(column) has no identity sequence")
            }
            try transaction.execute(
                """
                SELECT setval(\(sequence)::regclass, COALESCE(MAX(\(sql: column)), 0) + 1, false) \
                FROM \(sql: table)
                """)
        }
    }

    /// The applied migration names; empty before the first migration.
    static func appliedMigrations(_ transaction: any SQLSession) throws -> Set<String> {
        let exists = try transaction.exists(
            """
            SELECT 1 FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_name = 'cairn_schema_migrations'
            """)
        guard exists else { return [] }
        return Set(try transaction.column(String.self, "SELECT version FROM cairn_schema_migrations"))
    }

    /// Whether `name` is a lower-case identifier that needs no quoting.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}
