import ArgumentParser
import CairnClient
import CairnCore
import CairnDrift
import CairnMonitor
import CairnMonitorLoop
import Foundation

/// `cairn profile`: a mergeable profile of a dataset.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Write a mergeable profile (counts, moments, KLL quantile sketch, frequent items) of a dataset.",
        discussion: """
            The profile stands in for the reference data in 'cairn drift --reference-profile', so large \
            references are read once. Profiles of parts of a dataset can be merged with --merge. With \
            --log-to and --run the profile is stored with a training run (reference/profile.json), where \
            'cairn monitor' finds it for every model version registered from that run.

            Examples:
              cairn profile reference.csv -o ref-profile.json
              cairn profile --merge day1.json --merge day2.json -o week.json
              cairn profile train.csv --log-to http://127.0.0.1:5000 --run 3f2a…
            """
    )

    @Argument(help: ArgumentHelp("CSV or JSON Lines file to profile.", valueName: "data"))
    var data: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the profile JSON.", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("Store the profile with a run on this tracking server (needs --run).", valueName: "url"))
    var logTo: String?

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("The training run the profile is the reference of.", valueName: "run-id"))
    var runId: String?

    @Option(help: ArgumentHelp("Comma-separated columns to treat as categorical.", valueName: "c,d"))
    var categorical: String?

    @Option(help: "KLL accuracy parameter k (rank error under 2% at k = 200, about 0.5% at the default 1024).")
    var k: Int = ColumnProfile.defaultK

    @Option(help: ArgumentHelp("Profile to merge in; repeatable.", valueName: "path"))
    var merge: [String] = []

    func validate() throws {
        guard data != nil || !merge.isEmpty else {
            throw ValidationError("Give a DATA file or at least one --merge profile.")
        }
        guard output != nil || logTo != nil else { throw ValidationError("Give -o PATH, --log-to URL, or both.") }
        guard (logTo == nil) == (runId == nil) else { throw ValidationError("--log-to and --run go together.") }
        guard (8...65536).contains(k) else { throw ValidationError("--k must be between 8 and 65536.") }
        for path in [data].compactMap({ $0 }) + merge where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("No such file: \(path)")
        }
    }

    func run() async throws {
        do {
            var profile: DatasetProfile?
            if let data {
                let table = try TableReader.read(
                    path: data, categorical: Set(DriftCommand.list(categorical) ?? []))
                profile = ProfileFile.profile(table, k: k)
            }
            for path in merge {
                let other = try ProfileFile.read(path: path)
                if profile == nil { profile = other } else { try profile!.merge(other) }
            }
            if let output {
                try ProfileFile.data(profile!).write(to: URL(fileURLWithPath: output))
                print("profiled \(profile!.rows) rows, \(profile!.columnOrder.count) columns -> \(output)")
            }
            if let logTo, let runId {
                let client = try TrackingClient(uri: logTo)
                let full = try await client.run(idOrPrefix: runId)
                try await ReferenceLocator.store(profile!, runId: full.info.runId, client: client)
                print(
                    "profiled \(profile!.rows) rows, \(profile!.columnOrder.count) columns -> run \(full.info.runId) "
                        + ReferenceLocator.artifactPath)
            }
        } catch let e as MlflowError {
            throw CLIError(e.message)
        } catch let e as InputError {
            throw CLIError(e.description)
        } catch let e as DriftError {
            throw CLIError(e.description)
        }
    }
}
