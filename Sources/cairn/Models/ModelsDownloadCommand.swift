import ArgumentParser
import CairnClient
import CairnCore
import Foundation

/// `cairn models download models:/NAME@ALIAS --to DIR`.
struct ModelsDownloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download",
        abstract: "Download a model's files by URI.",
        discussion: """
            URI forms: models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/STAGE, models:/NAME/latest, \
            models:/m-<id>, runs:/<run_id>/<path>.
            """)

    @OptionGroup var options: ClientOptions

    @Argument(help: "Model URI.")
    var uri: String

    @Option(help: ArgumentHelp("Destination folder (created if missing).", valueName: "dir"))
    var to: String

    func validate() throws {
        do {
            _ = try ModelURI(parsing: uri)
        } catch let e as MlflowError {
            throw ValidationError(e.message)
        }
    }

    func run() async throws {
        try await reportingErrors {
            let client = try options.client()
            let resolved = try await ModelResolver(lookup: client).resolve(try ModelURI(parsing: uri))
            let label = resolved.version.map { "\($0.name) version \($0.version)" } ?? uri
            Console.err("Downloading \(label) from \(resolved.artifactUri)\n")
            let files = try await client.downloadArtifacts(uri: resolved.artifactUri, to: to) { path, size in
                Console.err("  \(path) (\(size) bytes)\n")
            }
            if files.isEmpty { throw MlflowError.notFound("No files found at \(resolved.artifactUri).") }
            print("Downloaded \(files.count) files to \(to)")
        }
    }
}
