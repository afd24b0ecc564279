import CairnStore
import Foundation

/// A tracking store on a fresh SQLite file in a temporary folder, removed afterwards.
func withTemporaryStore<T>(
    root: String = "mlflow-artifacts:/", _ body: (SQLiteTrackingStore, String) async throws -> T
) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("cairn.db").path
    let store = try StoreFactory.open(uri: "sqlite:///" + path, defaultArtifactRoot: root)
    return try await body(store, path)
}
