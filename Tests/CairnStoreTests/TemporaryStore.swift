import CairnStoreFactory
import CairnStoreSQL
import Foundation

/// A backend the store suite runs on.
enum StoreBackend: String, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// SQLite always; PostgreSQL when `CAIRN_TEST_POSTGRES_URL` names a server (the test script starts one).
    static var all: [StoreBackend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    /// The PostgreSQL server's URI for tests, e.g. `postgresql://cairn@127.0.0.1:5433/cairn`.
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CAIRN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A tracking store on a fresh database — a SQLite file in a temporary folder, or a new database on the
/// test PostgreSQL server — removed afterwards. `body` gets the store and the URI that reopens it.
func withTemporaryStore<T>(
    _ backend: StoreBackend = .sqlite, root: String = "mlflow-artifacts:/",
    _ body: (SQLTrackingStore, String) async throws -> T
) async throws -> T {
    switch backend {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let uri = "sqlite:///" + dir.appendingPathComponent("cairn.db").path
        let store = try await StoreFactory.open(uri: uri, defaultArtifactRoot: root)
        return try await body(store, uri)
    case .postgres:
        guard let server = StoreBackend.postgresURL else {
            throw TemporaryDatabaseError("CAIRN_TEST_POSTGRES_URL is not set")
        }
        let name = "cairn_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try runPsql(server, "CREATE DATABASE \(name)")
        let uri = replacingDatabase(in: server, with: String(name))
        let store = try await StoreFactory.open(uri: uri, defaultArtifactRoot: root)
        do {
            let result = try await body(store, uri)
            try await store.close()
            try runPsql(server, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await store.close()
            try? runPsql(server, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }
}

struct TemporaryDatabaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `uri` with its database name replaced.
func replacingDatabase(in uri: String, with name: String) -> String {
    var base = uri
    var query = ""
    if let q = base.firstIndex(of: "?") {
        query = String(base[q...])
        base = String(base[..<q])
    }
    guard let slash = base.lastIndex(of: "/") else { return uri }
    return String(base[...slash]) + name + query
}

/// Runs one SQL command with `psql` (database creation cannot run inside a transaction).
func runPsql(_ uri: String, _ command: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["psql", uri, "-v", "ON_ERROR_STOP=1", "-q", "-c", command]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw TemporaryDatabaseError("psql \(command): \(message)")
    }
}
