import CairnCore
import CairnServingCore
import Foundation

/// Scores a CSV or JSON Lines file with a loaded model in bounded memory: rows are read in chunks,
/// several chunks are predicted at once (spread over the model's workers), and results are written
/// in input order. A chunk that fails is reported with its line range, never silently skipped.
///
/// ```swift
/// let summary = try await BatchScorer.run(model: loaded, options: .init(input: "in.csv", output: "out.csv"))
/// ```
public enum BatchScorer {
    /// File formats.
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl

        /// The format a file name implies (`.csv`, `.jsonl` / `.ndjson`), if any.
        public init?(path: String) {
            let lower = path.lowercased()
            if lower.hasSuffix(".csv") {
                self = .csv
            } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
                self = .jsonl
            } else {
                return nil
            }
        }
    }

    /// What to score and where to write.
    public struct Options: Sendable {
        public var input: String
        public var output: String
        public var inputFormat: Format
        public var outputFormat: Format
        public var chunkRows: Int = 1000
        public var concurrency: Int = 2
        /// The part of the input rows to score (``Shard/all`` by default).
        public var shard: Shard = .all

        public init(input: String, output: String, inputFormat: Format, outputFormat: Format) {
            self.input = input
            self.output = output
            self.inputFormat = inputFormat
            self.outputFormat = outputFormat
        }
    }

    /// Rows that could not be scored.
    public struct FailedRange: Sendable, Equatable {
        /// First and last input line (1-based, the header is line 1 in CSV).
        public var firstLine: Int
        public var lastLine: Int
        public var rows: Int
        public var message: String
    }

    /// How a run went.
    public struct Summary: Sendable {
        public var rowsRead = 0
        public var rowsWritten = 0
        public var failed: [FailedRange] = []
        public var seconds = 0.0
    }

    /// Progress as the run goes: rows done, bytes of input read and the input's size (0 if unknown).
    public struct Progress: Sendable {
        public var rows: Int
        public var bytesRead: Int
        public var totalBytes: Int
        public var seconds: Double
    }

    /// Scores the whole input.
    public static func run(
        model: any LoadedModel, options: Options, progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Summary {
        let started = ContinuousClock.now
        var reader = try ChunkReader(
            path: options.input, format: options.inputFormat, chunkRows: options.chunkRows,
            columnOrder: model.signature.columnNames, shard: options.shard)
        var writer = try ChunkWriter(path: options.output, format: options.outputFormat)
        defer { writer.close() }
        var summary = Summary()
        var pending: [Int: (Chunk, Result<[JSONValue], ScoringError>)] = [:]
        var nextToWrite = 0
        var submitted = 0
        func flush() throws {
            while let (chunk, result) = pending.removeValue(forKey: nextToWrite) {
                switch result {
                case .success(let outputs):
                    try writer.write(chunk.frame, outputs: outputs)
                    summary.rowsWritten += chunk.frame.count
                case .failure(let error):
                    summary.failed.append(
                        FailedRange(
                            firstLine: chunk.firstLine, lastLine: chunk.lastLine, rows: chunk.frame.count,
                            message: error.message))
                }
                nextToWrite += 1
            }
        }
        func report() {
            progress(
                Progress(
                    rows: summary.rowsWritten, bytesRead: reader.bytesRead, totalBytes: reader.totalBytes,
                    seconds: (ContinuousClock.now - started).seconds))
        }
        try await withThrowingTaskGroup(of: (Int, Chunk, Result<[JSONValue], ScoringError>).self) { group in
            var inFlight = 0
            while let chunk = try reader.next() {
                summary.rowsRead += chunk.frame.count
                let index = submitted
                submitted += 1
                group.addTask { (index, chunk, await score(chunk, model: model)) }
                inFlight += 1
                if inFlight >= options.concurrency, let (i, c, r) = try await group.next() {
                    inFlight -= 1
                    pending[i] = (c, r)
                    try flush()
                    report()
                }
            }
            while let (i, c, r) = try await group.next() {
                pending[i] = (c, r)
                try flush()
                report()
            }
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }

    static func score(_ chunk: Chunk, model: any LoadedModel) async -> Result<[JSONValue], ScoringError> {
        if let error = chunk.error { return .failure(error) }
        do {
            try model.signature.check(chunk.frame)
            let predictions = try await model.predict(ScoringRequest(input: .frame(chunk.frame)))
            guard let rows = predictions.rows(expected: chunk.frame.count) else {
                return .failure(
                    .init(status: 500, "The model did not return one prediction per row for \(chunk.frame.count) rows.")
                )
            }
            return .success(rows)
        } catch let error as ScoringError {
            return .failure(error)
        } catch {
            return .failure(.init(status: 500, "\(error)"))
        }
    }
}

/// A run of input rows with the lines they came from.
struct Chunk: Sendable {
    var frame: InputFrame
    var firstLine: Int
    var lastLine: Int
    /// Set when the rows could not be read (bad JSON, wrong field count); the chunk is reported failed.
    var error: ScoringError?
}
