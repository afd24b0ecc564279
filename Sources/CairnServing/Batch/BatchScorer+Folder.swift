import CairnCore
import CairnServingCore
import Foundation

extension BatchScorer {
    /// The files of a folder input, sorted by name: `.csv`, `.jsonl` and `.ndjson` files, hidden files skipped.
    public static func inputFiles(in folder: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return names.filter { !$0.hasPrefix(".") && Format(path: $0) != nil }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Scores the files of the folder `input` that `shard` owns (the file at 0-based position `p` in name order
    /// when `p % N == I`), each whole, into a file of the same name in the folder `output`.
    public static func runFolder(
        model: any LoadedModel, input: String, output: String, shard: Shard, chunkRows: Int, concurrency: Int,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Summary {
        let files = try inputFiles(in: input)
        guard !files.isEmpty else { throw MlflowError.invalid("The folder '\(input)' has no .csv or .jsonl files.") }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var total = Summary()
        for (position, name) in files.enumerated() where shard.owns(position) {
            guard let format = Format(path: name) else { continue }
            var options = Options(
                input: input + "/" + name, output: output + "/" + name, inputFormat: format, outputFormat: format)
            options.chunkRows = chunkRows
            options.concurrency = concurrency
            let summary = try await run(model: model, options: options)
            progress("\(name): \(summary.rowsWritten) of \(summary.rowsRead) rows")
            total.rowsRead += summary.rowsRead
            total.rowsWritten += summary.rowsWritten
            total.seconds += summary.seconds
            total.failed += summary.failed.map { f in
                FailedRange(
                    firstLine: f.firstLine, lastLine: f.lastLine, rows: f.rows, message: "\(name): \(f.message)")
            }
        }
        return total
    }
}
