import ArgumentParser
import CairnStoreFactory
import CairnStoreSQL
import CairnTransfer
import Foundation

/// `cairn db copy --from URI --to URI`.
struct DBCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every table of a tracking database into another one (SQLite to PostgreSQL, or a backup).",
        discussion: """
            The target's schema is created or upgraded first. Rows are copied in batches, one transaction \
            each, and rows already in the target are skipped: an interrupted copy resumes when run again. \
            At the end the row counts of both sides are compared; the command exits with status 1 when \
            they differ. Stop the servers writing to the source first: a copy is not a snapshot.

              cairn db copy --from sqlite:///cairn.db --to postgresql://cairn@db.internal/cairn
            """)

    @Option(
        help: ArgumentHelp(
            "Source database URI (sqlite:///… or postgresql://…); its schema must be up to date.", valueName: "uri"))
    var from: String

    @Option(help: ArgumentHelp("Target database URI; created and migrated if needed.", valueName: "uri"))
    var to: String

    @Option(help: ArgumentHelp("Rows per batch (one transaction each).", valueName: "rows"))
    var batchSize = 5000

    @Flag(help: "Print no progress bar.")
    var quiet = false

    func validate() throws {
        try checkStoreURI(from, option: "--from")
        try checkStoreURI(to, option: "--to")
        guard from != to else {
            Console.err("Error: --from and --to name the same database.\n")
            throw ExitCode(2)
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive.") }
    }

    func run() async throws {
        try await reportingTransferErrors {
            let copier = try DatabaseCopier(batchSize: batchSize)
            let source = try await Self.open(from, migrate: false, option: "--from")
            let target: any SQLDatabase
            do {
                target = try await Self.open(to, migrate: true, option: "--to")
            } catch {
                try? await source.close()
                throw error
            }
            let bar = TransferProgressBar(enabled: !quiet)
            let report: DatabaseCopier.Report
            do {
                report = try await copier.copy(from: source, to: target) { p in
                    bar.update(label: p.table, done: p.rowsDone, total: p.totalRows)
                }
                bar.finish()
            } catch {
                bar.finish()
                try? await source.close()
                try? await target.close()
                throw error
            }
            try? await source.close()
            try? await target.close()
            var table = TextTable(header: ["table", "source", "target", "inserted", "check"])
            for t in report.tables {
                table.rows.append([
                    t.table, "\(t.source)", "\(t.target)", "\(t.inserted)", t.matches ? "ok" : "MISMATCH",
                ])
            }
            print(table.render())
            let rate = report.seconds > 0 ? Double(report.totalRows) / report.seconds : 0
            print(
                "\nCopied \(report.totalRows) rows in \(String(format: "%.1f", report.seconds)) s "
                    + "(\(Int(rate)) rows/s) from \(source.location) to \(target.location).")
            if !report.mismatches.isEmpty {
                Console.err(
                    "error: row counts differ in \(report.mismatches.map(\.table).joined(separator: ", ")); "
                        + "the target held other rows or a write failed.\n")
                throw ExitCode.failure
            }
        }
    }

    /// Opens one side; a missing SQLite source file is a usage error.
    static func open(_ uri: String, migrate: Bool, option: String) async throws -> any SQLDatabase {
        if !migrate, case .sqliteFile(let path) = try StoreFactory.parse(uri: uri),
            !FileManager.default.fileExists(atPath: path)
        {
            throw TransferError.badInput("\(option): the SQLite database '\(path)' does not exist.")
        }
        return try await StoreFactory.database(uri: uri, migrate: migrate)
    }
}
