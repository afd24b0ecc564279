import CairnStorePostgres
import Foundation
import Testing

/// The PostgreSQL server the live tests use, named by `CAIRN_TEST_POSTGRES_URL`.
enum LivePostgres {
    static let url = ProcessInfo.processInfo.environment["CAIRN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isConfigured = url != nil
    static let skipped: Comment =
        "CAIRN_TEST_POSTGRES_URL is not set: start a server with scripts/pg-cluster.sh start DIR and export the URI it prints"

    /// Connects, runs `body` and closes the pool.
    static func withDatabase<T>(
        maximumConnections: Int = 8, _ body: (PostgresSQLDatabase) async throws -> T
    ) async throws -> T {
        let database = try await PostgresSQLDatabase.connect(
            uri: try #require(url), maximumConnections: maximumConnections)
        do {
            let value = try await body(database)
            try await database.close()
            return value
        } catch {
            try await database.close()
            throw error
        }
    }

    /// A table name no other test uses.
    static func tableName(_ prefix: String) -> String {
        "t_\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}
