import ArgumentParser
import CairnStoreFactory
import CairnStoreSQL
import CairnTransfer
import Foundation

/// `cairn db upgrade URI [--dry-run]`.
struct DBUpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Bring a tracking database's schema up to date (for servers started with --no-migrate).",
        discussion: """
            Prints the pending schema migrations, then applies them in order. Safe to run while servers \
            are running and safe to repeat: an up-to-date database is left as it is.

              cairn db upgrade sqlite:///cairn.db --dry-run
              cairn db upgrade postgresql://cairn@db.internal/cairn
            """)

    @Argument(help: "Backend store URI: sqlite:///relative.db, sqlite:////absolute.db or postgresql://user@host/db.")
    var uri: String

    @Flag(help: "Only list the pending migrations; change nothing.")
    var dryRun = false

    func validate() throws { try checkStoreURI(uri, option: "URI") }

    func run() async throws {
        try await reportingTransferErrors {
            if case .sqliteFile(let path) = try StoreFactory.parse(uri: uri),
                !FileManager.default.fileExists(atPath: path)
            {
                throw TransferError.badInput("The SQLite database '\(path)' does not exist.")
            }
            let db = try await StoreFactory.database(uri: uri, migrate: false, requireCurrentSchema: false)
            let pending: [String]
            do {
                pending = try await db.pendingMigrations()
                if !pending.isEmpty && !dryRun { try await db.migrate() }
                try await db.close()
            } catch {
                try? await db.close()
                throw error
            }
            let plural = pending.count == 1 ? "" : "s"
            if pending.isEmpty {
                print("\(db.location): the schema is up to date.")
            } else {
                print("\(db.location): \(pending.count) pending migration\(plural):")
                for name in pending { print("  \(name)") }
                print(dryRun ? "Dry run: nothing applied." : "Applied \(pending.count) migration\(plural).")
            }
        }
    }
}
