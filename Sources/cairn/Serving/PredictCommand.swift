import ArgumentParser
import CairnCore
import CairnServing
import CairnServingCore
import Foundation
import Logging
import Synchronization

/// `cairn predict MODEL_URI --input FILE --output FILE`: batch scoring.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score a CSV or JSON Lines file with a model, in constant memory, spread over workers.",
        discussion: """
            Rows are read in chunks and predicted by --workers Python worker processes; the output keeps the \
            input order and adds the prediction (a 'prediction' column, 'prediction_0…' for lists, the field \
            names for records). Progress with rows/s and ETA goes to stderr. A chunk that fails is reported \
            with its line range and the command exits 1; rows of other chunks are still written.

            Examples:
              cairn predict models:/churn@champion --input customers.csv --output scored.csv
              cairn predict models:/churn/3 --input events.jsonl --output - --workers 2 > scored.jsonl
              cairn predict models:/churn/3 --input all.csv --output part-1.csv --shard 1/4

            --shard I/N scores only the rows whose 0-based position p (header not counted) has p % N = I, \
            so N processes (an Indexed Job's pods) split one input without overlap. When --input is a folder, \
            its .csv/.jsonl files are scored one by one into files of the same name in the --output folder, \
            and --shard splits the files (in name order) instead of the rows.
            """)

    @Argument(help: "The model: models:/…, runs:/… or a local model folder.")
    var modelURI: String

    @Option(help: ArgumentHelp("Input file (.csv or .jsonl), a folder of them, or - for stdin.", valueName: "file"))
    var input: String

    @Option(
        help: ArgumentHelp(
            "Output file (.csv or .jsonl), a folder for a folder input, or - for stdout.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Input format when the file name does not say (csv or jsonl).", valueName: "format"))
    var inputFormat: String?

    @Option(
        help: ArgumentHelp("Output format when the file name does not say (default: the input's).", valueName: "format")
    )
    var outputFormat: String?

    @Option(help: "Rows per model call.")
    var chunkRows: Int = 1000

    @Option(help: ArgumentHelp("Score only part I of N of the rows (0-based; row p when p % N = I).", valueName: "I/N"))
    var shard: String?

    @OptionGroup var model: ModelRuntimeOptions

    @OptionGroup var tracking: TrackingURIOption

    @Flag(help: "Print no progress.")
    var quiet = false

    func formats() throws -> (BatchScorer.Format, BatchScorer.Format) {
        func parse(_ text: String?, _ path: String, _ what: String) throws -> BatchScorer.Format? {
            if let text {
                guard let f = BatchScorer.Format(rawValue: text.lowercased()) else {
                    throw ValidationError("--\(what)-format must be csv or jsonl.")
                }
                return f
            }
            return BatchScorer.Format(path: path)
        }
        guard let inFormat = try parse(inputFormat, input, "input") else {
            throw ValidationError(
                "Cannot tell the format of '\(input)': name it .csv or .jsonl, or pass --input-format.")
        }
        let outFormat = try parse(outputFormat, output, "output") ?? inFormat
        return (inFormat, outFormat)
    }

    /// Whether the input is a folder of files (scored file by file into the output folder).
    var folderInput: Bool {
        var isDir: ObjCBool = false
        return input != "-" && FileManager.default.fileExists(atPath: input, isDirectory: &isDir) && isDir.boolValue
    }

    func validate() throws {
        try model.check(uri: modelURI)
        if !folderInput { _ = try formats() }
        guard (1...1_000_000).contains(chunkRows) else { throw ValidationError("--chunk-rows must be 1-1000000.") }
        if let shard {
            do { _ = try Shard(parsing: shard) } catch { throw ValidationError(error.message) }
        }
        if input != "-", !FileManager.default.fileExists(atPath: input) {
            throw ValidationError("No input file at '\(input)'.")
        }
    }

    func run() async throws {
        try await reportingErrors {
            var logger = Logger(label: "cairn-predict")
            logger.logLevel = quiet ? .error : .notice
            let client = try model.client(tracking: tracking, for: [modelURI])
            let summary: BatchScorer.Summary
            let loaded: any LoadedModel
            do {
                let fetched = try await ModelFetcher(client: client, cache: model.resolvedCache).fetch(modelURI) {
                    if !quiet { Console.err("\($0)\n") }
                }
                var runtimeOptions = model.runtimeOptions
                runtimeOptions.maxBatchRows = max(runtimeOptions.maxBatchRows, chunkRows)
                let loader = ModelLoader(
                    choice: model.runtime, environment: model.environment, python: runtimeOptions, logger: logger)
                loaded = try await loader.load(fetched) {
                    if !quiet { Console.err("\($0)\n") }
                }
                if !quiet {
                    Console.err("Loaded \(fetched.label) in \(String(format: "%.2f", loaded.loadSeconds)) s\n")
                }
                let part = try shard.map { try Shard(parsing: $0) } ?? .all
                if folderInput {
                    summary = try await BatchScorer.runFolder(
                        model: loaded, input: input, output: output, shard: part, chunkRows: chunkRows,
                        concurrency: model.workers * 2
                    ) { if !quiet { Console.err("\($0)\n") } }
                } else {
                    let (inFormat, outFormat) = try formats()
                    var options = BatchScorer.Options(
                        input: input, output: output, inputFormat: inFormat, outputFormat: outFormat)
                    options.chunkRows = chunkRows
                    options.concurrency = model.workers * 2
                    options.shard = part
                    let bar = ProgressLine(enabled: !quiet)
                    summary = try await BatchScorer.run(model: loaded, options: options) { bar.update($0) }
                    bar.finish()
                }
            } catch let error as ScoringError {
                throw MlflowError(.invalidParameterValue, error.message)
            }
            await loaded.shutdown()
            let rate = summary.seconds > 0 ? Double(summary.rowsWritten) / summary.seconds : 0
            Console.err(
                "Scored \(summary.rowsWritten) of \(summary.rowsRead) rows in \(String(format: "%.1f", summary.seconds)) s (\(Int(rate)) rows/s)\n"
            )
            if !summary.failed.isEmpty {
                for f in summary.failed {
                    Console.err("error: lines \(f.firstLine)-\(f.lastLine) (\(f.rows) rows) failed: \(f.message)\n")
                }
                throw ExitCode.failure
            }
        }
    }
}

/// A one-line progress display on stderr: rows, rows/s, percent and ETA.
final class ProgressLine: Sendable {
    let enabled: Bool
    let tty = isatty(STDERR_FILENO) != 0
    private let last = Mutex(0.0)

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: BatchScorer.Progress) {
        guard enabled else { return }
        let due = last.withLock { last -> Bool in
            guard p.seconds - last >= (tty ? 0.25 : 5) else { return false }
            last = p.seconds
            return true
        }
        guard due else { return }
        let rate = p.seconds > 0 ? Double(p.rows) / p.seconds : 0
        var text = "\(p.rows) rows  \(Int(rate)) rows/s"
        if p.totalBytes > 0 {
            let share = Double(p.bytesRead) / Double(p.totalBytes)
            let eta = share > 0 ? p.seconds * (1 - share) / share : 0
            text += String(format: "  %3.0f %%  ETA %.0f s", share * 100, eta)
        }
        Console.err((tty ? "\r\u{1B}[K" + text : text + "\n"))
    }

    func finish() {
        if enabled && tty { Console.err("\n") }
    }
}
