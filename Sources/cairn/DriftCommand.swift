import ArgumentParser
import CairnClient
import CairnCore
import CairnDrift
import CairnMonitor
import Foundation

/// `cairn drift`: data drift between a reference and a current dataset.
struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare a current dataset with a reference and report data drift per column.",
        discussion: """
            Inputs are CSV files with a header row, or JSON Lines (.jsonl / .ndjson). Columns whose non-empty \
            values all parse as numbers are numeric; the rest are categorical (override with --categorical).

            Without --test, each column gets Evidently's default: up to 1000 reference rows K-S (numeric), \
            chi-square or Z-test (few values or categories); above that normalised Wasserstein (numeric) or \
            Jensen-Shannon. The dataset drifts when at least --drift-share of the columns drift.

            Tests: \(DriftTestKind.allCases.map(\.rawValue).joined(separator: ", ")).

            Exit status: 0 on success, 1 on an error, 3 when --fail-on-drift is given and the dataset drifts.

            Examples:
              cairn drift ref.csv cur.csv
              cairn drift ref.csv cur.csv --columns age,income --test psi --json r.json
              cairn drift ref.csv cur.csv --test ks --test city=chisquare --html r.html
              cairn drift ref.csv cur.csv --fail-on-drift -q
              cairn drift --reference-profile ref-profile.json cur.csv
              cairn drift ref.csv cur.csv --log-to http://127.0.0.1:5000
            """
    )

    @Argument(
        help: ArgumentHelp("REFERENCE and CURRENT files (only CURRENT with --reference-profile).", valueName: "file"))
    var files: [String] = []

    @Option(
        help: ArgumentHelp(
            "Reference profile written by 'cairn profile', instead of a reference file.", valueName: "path"))
    var referenceProfile: String?

    @Option(help: ArgumentHelp("Comma-separated columns to compare (default: all shared columns).", valueName: "a,b"))
    var columns: String?

    @Option(help: ArgumentHelp("Comma-separated columns to treat as categorical.", valueName: "c,d"))
    var categorical: String?

    @Option(
        name: .customLong("test"),
        help: ArgumentHelp("Test for all columns (NAME) or one column (COLUMN=NAME); repeatable.", valueName: "spec"))
    var tests: [String] = []

    @Option(help: "Threshold for every column instead of each test's default.")
    var threshold: Double?

    @Option(help: "Share of drifted columns at which the dataset drifts.")
    var driftShare: Double = DatasetDrift.defaultDriftShare

    @Option(help: "Multiple-testing correction for p-value tests: none, bonferroni or benjamini-hochberg.")
    var correction: String = "none"

    @Option(help: "Seed for the permutation tests (empirical_mmd, TVD).")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Write the JSON report here.", valueName: "path"))
    var json: String?

    @Option(help: ArgumentHelp("Write the HTML report here.", valueName: "path"))
    var html: String?

    @Option(
        help: ArgumentHelp(
            "Log the check to this tracking server as a run: per-column scores as metrics, the verdict as the "
                + "drift.dataset_drift tag, the JSON and HTML reports as artifacts.", valueName: "url"))
    var logTo: String?

    @Option(help: ArgumentHelp("Experiment for --log-to (created when missing).", valueName: "name"))
    var experiment = "drift"

    @Flag(help: "Exit with status 3 when the dataset drifts.")
    var failOnDrift = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if referenceProfile == nil && files.count != 2 {
            throw ValidationError("Give REFERENCE and CURRENT files, or --reference-profile and one CURRENT file.")
        }
        if referenceProfile != nil && files.count != 1 {
            throw ValidationError("With --reference-profile give exactly one CURRENT file.")
        }
        _ = try parsedTests()
        if let threshold, !threshold.isFinite || threshold < 0 {
            throw ValidationError("--threshold must be a non-negative number.")
        }
        guard driftShare > 0, driftShare <= 1 else { throw ValidationError("--drift-share must be in (0, 1].") }
        guard MultipleTestingCorrection(rawValue: correction) != nil else {
            throw ValidationError("--correction must be none, bonferroni or benjamini-hochberg.")
        }
        if let logTo {
            if let problem = Self.trackingURIProblem(logTo) { throw ValidationError(problem) }
            guard !experiment.isEmpty else { throw ValidationError("--experiment must not be empty.") }
        }
        for path in files + [referenceProfile].compactMap({ $0 }) where !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("No such file: \(path)")
        }
    }

    /// Why `uri` is not a usable tracking server address, or nil.
    static func trackingURIProblem(_ uri: String) -> String? {
        switch Result(catching: { () throws(MlflowError) -> TrackingClient in try TrackingClient(uri: uri) }) {
        case .success: return nil
        case .failure(let e): return e.message
        }
    }

    /// The global test and per-column tests from the repeated --test options.
    func parsedTests() throws -> (all: DriftTestKind?, perColumn: [String: DriftTestKind]) {
        var all: DriftTestKind?
        var perColumn: [String: DriftTestKind] = [:]
        for spec in tests {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts.count == 2 ? parts[1] : parts[0]
            guard let kind = DriftTestKind(rawValue: name) else {
                throw ValidationError(
                    "Unknown test '\(name)'. Known: \(DriftTestKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if parts.count == 2 {
                guard !parts[0].isEmpty else { throw ValidationError("--test \(spec): the column name is empty.") }
                perColumn[parts[0]] = kind
            } else {
                all = kind
            }
        }
        return (all, perColumn)
    }

    static func list(_ s: String?) -> [String]? {
        s.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    func run() async throws {
        let (all, perColumn) = try parsedTests()
        let options = DriftOptions(
            columns: Self.list(columns), test: all, columnTests: perColumn, threshold: threshold,
            driftShare: driftShare,
            correction: MultipleTestingCorrection(rawValue: correction)!, seed: seed)
        let categoricalColumns = Set(Self.list(categorical) ?? [])
        let report: DriftReport
        do {
            if let profilePath = referenceProfile {
                let profile = try ProfileFile.read(path: profilePath)
                let current = try TableReader.read(path: files[0], categorical: categoricalColumns)
                report = try DriftRunner.run(
                    referenceProfile: profile, current: current, options: options, referenceSource: profilePath,
                    currentSource: files[0])
            } else {
                let (reference, current) = try TableReader.readPair(
                    files[0], files[1], categorical: categoricalColumns)
                report = try DriftRunner.run(
                    reference: reference, current: current, options: options, referenceSource: files[0],
                    currentSource: files[1], includeHistograms: html != nil || logTo != nil)
            }
        } catch let e as InputError {
            throw CLIError(e.description)
        } catch let e as DriftError {
            throw CLIError(e.description)
        }
        if let json { try write(ReportJSON.data(report), to: json) }
        if let html { try write(Data(HTMLReport.render(report).utf8), to: html) }
        for column in report.skipped {
            Console.err("warning: column '\(column.name)': \(column.reason)\n")
        }
        if !quiet { print(SummaryTable.render(report.result, skipped: report.skipped)) }
        if let logTo {
            do {
                let runId = try await Self.log(report, to: logTo, experiment: experiment)
                if !quiet {
                    print("logged run \(runId) to \(logTo) (experiment '\(experiment)')")
                    print("view at: \(runPageURL(trackingUri: logTo, runId: runId))")
                }
            } catch let e as MlflowError {
                throw CLIError("logging to \(logTo) failed: \(e.message)")
            } catch {
                throw CLIError("logging to \(logTo) failed: \(error)")
            }
        }
        if failOnDrift && report.result.datasetDrift { throw ExitCode(3) }
    }

    func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// An error message for the user, printed without a stack of types.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) { description = message }
}
