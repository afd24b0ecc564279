import ArgumentParser
import CairnDrift
import CairnMonitor
import Foundation

/// `cairn profile`: a mergeable profile of a dataset.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Write a mergeable profile (counts, moments, KLL quantile sketch, frequent items) of a dataset.",
        discussion: """
            The profile stands in for the reference data in 'cairn drift --reference-profile', so large \
            references are read once. Profiles of parts of a dataset can be merged with --merge.

            Examples:
              cairn profile reference.csv -o ref-profile.json
              cairn profile --merge day1.json --merge day2.json -o week.json
            """
    )

    @Argument(help: ArgumentHelp("CSV or JSON Lines file to profile.", valueName: "data"))
    var data: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the profile JSON.", valueName: "path"))
    var output: String

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
        guard (8...65536).contains(k) else { throw ValidationError("--k must be between 8 and 65536.") }
        for path in [data].compactMap({ $0 }) + merge where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("No such file: \(path)")
        }
    }

    func run() throws {
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
            try ProfileFile.data(profile!).write(to: URL(fileURLWithPath: output))
            print("profiled \(profile!.rows) rows, \(profile!.columnOrder.count) columns -> \(output)")
        } catch let e as InputError {
            throw CLIError(e.description)
        } catch let e as DriftError {
            throw CLIError(e.description)
        }
    }
}
