import ArgumentParser
import CairnStoreFactory
import CairnStoreSQL
import CairnTransfer
import Foundation

/// `cairn import mlflow --from URI|DIR [--artifacts DIR] --to URI`.
struct ImportMLflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlflow",
        abstract: "Import an MLflow installation (its database or its mlruns folder), keeping every id.",
        discussion: """
            Experiment ids, run ids, logged-model ids, registered-model names and version numbers are \
            kept, so runs:/RUN_ID/… and models:/NAME/VERSION keep working against the Cairn server. The \
            MLflow data is only read. Each run and model is one transaction and what the target already \
            holds is skipped: an interrupted import finishes when run again, a repeated one changes nothing.

            Artifacts stay where MLflow recorded them, unless --artifacts names the Cairn server's \
            --artifacts-destination: then local artifact folders are copied there and addressed as \
            mlflow-artifacts:/….

              cairn import mlflow --from sqlite:///mlflow.db --to sqlite:///cairn.db --artifacts ./artifacts
              cairn import mlflow --from ./mlruns --to postgresql://cairn@db.internal/cairn
            """)

    @Option(
        help: ArgumentHelp(
            "The MLflow installation: sqlite:///mlflow.db, postgresql://…, an mlruns folder or its file: URI.",
            valueName: "uri-or-folder"))
    var from: String

    @Option(help: ArgumentHelp("The Cairn database to import into (created and migrated if needed).", valueName: "uri"))
    var to: String

    @Option(
        help: ArgumentHelp(
            "Copy local artifacts into this folder (the Cairn server's --artifacts-destination) and rewrite "
                + "their URIs to mlflow-artifacts:/…; without it the recorded URIs are kept.",
            valueName: "folder"))
    var artifacts: String?

    @Flag(help: "Print no progress bar.")
    var quiet = false

    func validate() throws {
        try checkStoreURI(to, option: "--to")
        if from.hasPrefix("sqlite:") || from.hasPrefix("postgres") { try checkStoreURI(from, option: "--from") }
        if let artifacts, artifacts.isEmpty {
            Console.err("Error: --artifacts must name a folder.\n")
            throw ExitCode(2)
        }
    }

    func run() async throws {
        try await reportingTransferErrors {
            let target = try await StoreFactory.database(uri: to, migrate: true)
            let importer: MLflowImporter
            do {
                importer = try await MLflowImporter.open(from: from, into: target, artifacts: artifacts)
            } catch {
                try? await target.close()
                throw error
            }
            let bar = TransferProgressBar(enabled: !quiet)
            let summary: ImportSummary
            do {
                summary = try await importer.run { p in bar.update(label: p.phase, done: p.done, total: p.total) }
                bar.finish()
            } catch {
                bar.finish()
                await importer.close()
                try? await target.close()
                throw error
            }
            await importer.close()
            try? await target.close()
            print(Self.render(summary, from: importer.sourceLocation, to: target.location))
        }
    }

    /// The summary as text: counts per kind, artifacts, and what was left out.
    static func render(_ s: ImportSummary, from: String, to: String) -> String {
        var table = TextTable(header: ["kind", "imported", "already there"])
        for c in s.counts { table.rows.append([c.kind, "\(c.imported)", "\(c.skipped)"]) }
        var out = "Imported \(from) into \(to) in \(String(format: "%.1f", s.seconds)) s.\n\n" + table.render()
        out += "\n\nArtifacts: \(s.artifactFilesCopied) files copied"
        if s.artifactFoldersMissing > 0 {
            out += ", \(s.artifactFoldersMissing) recorded folders absent (nothing to copy)"
        }
        if s.artifactLocationsKeptRemote > 0 { out += ", \(s.artifactLocationsKeptRemote) remote locations kept" }
        out += "."
        if !s.skippedTables.isEmpty {
            out += "\nNot imported (Cairn does not model them): "
            out += s.skippedTables.map { "\($0.name) (\($0.rows) rows)" }.joined(separator: ", ") + "."
        }
        if !s.otherWorkspaces.isEmpty {
            out += "\nOnly the default workspace was imported; also present: "
            out += s.otherWorkspaces.joined(separator: ", ") + "."
        }
        return out
    }
}
