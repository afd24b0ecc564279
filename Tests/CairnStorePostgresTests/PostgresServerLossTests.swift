import CairnStorePostgres
import CairnStoreSQL
import Foundation
import Testing

@Suite("PostgreSQL server going away", .enabled(if: LivePostgres.isConfigured, LivePostgres.skipped))
struct PostgresServerLossTests {
    /// Runs scripts/pg-cluster.sh and returns what it printed. The output goes through a file: the
    /// server it starts keeps inherited descriptors open, so a pipe would never reach its end.
    func cluster(_ arguments: [String]) throws -> String {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pg-cluster.sh")
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "pg-cluster-\(UUID().uuidString)")
        try Data().write(to: outputPath)
        defer { try? FileManager.default.removeItem(at: outputPath) }
        let output = try FileHandle(forWritingTo: outputPath)
        let process = Process()
        process.executableURL = script
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try output.close()
        try #require(process.terminationStatus == 0, "pg-cluster.sh \(arguments) failed")
        return try String(contentsOf: outputPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func transactionsFailPromptlyNamingTheServer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pg-\(UUID().uuidString)")
        let url = try cluster(["start", directory.path])
        let endpoint = try #require(url.split(separator: "@").last?.split(separator: "/").first.map(String.init))
        let database = try await PostgresSQLDatabase.connect(uri: url, maximumConnections: 2, leaseTimeout: .seconds(2))
        #expect(try await database.read { s in try s.scalar(Int.self, "SELECT 1") } == 1)
        _ = try cluster(["stop", directory.path])
        let clock = ContinuousClock()
        for _ in 0..<2 {
            let started = clock.now
            do {
                _ = try await database.read { s in try s.scalar(Int.self, "SELECT 1") }
                Issue.record("a query succeeded after the server stopped")
            } catch let error as SQLStoreError {
                #expect("\(error)".contains(endpoint), "\(error)")
            }
            #expect(clock.now - started < .seconds(10))
        }
        try await database.close()
        await #expect(throws: SQLStoreError.self) {
            _ = try await database.read { s in try s.scalar(Int.self, "SELECT 1") }
        }
    }
}
