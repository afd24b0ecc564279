import CairnCore
import CairnServingCore
import Foundation

/// Reads an input file in chunks of rows, with line numbers, in bounded memory.
struct ChunkReader {
    let format: BatchScorer.Format
    let chunkRows: Int
    let columnOrder: [String]?
    let shard: Shard
    /// Data rows seen so far (all shards), the ordinal ``Shard/owns(_:)`` decides on.
    private var ordinal = 0
    private let handle: FileHandle
    private var csv = CSVFrameReader()
    private var header: [String]?
    private var columns: [String]?
    private var lineBuffer: [UInt8] = []
    private var line = 0
    private var queued: [(line: Int, row: [JSONValue]?, problem: String?)] = []
    private var finished = false
    private(set) var bytesRead = 0
    let totalBytes: Int

    init(
        path: String, format: BatchScorer.Format, chunkRows: Int, columnOrder: [String]?, shard: Shard = .all
    ) throws {
        if path == "-" {
            handle = FileHandle.standardInput
            totalBytes = 0
        } else {
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw MlflowError.notFound("Cannot read the input file '\(path)'.")
            }
            handle = h
            totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        self.format = format
        self.chunkRows = chunkRows
        self.columnOrder = columnOrder
        self.shard = shard
    }

    /// Counts one data row and tells whether this shard takes it.
    private mutating func takesNextRow() -> Bool {
        defer { ordinal += 1 }
        return shard.owns(ordinal)
    }

    /// The next chunk, or nil at the end of the input.
    mutating func next() throws -> Chunk? {
        while queued.count < chunkRows && !finished {
            let data = handle.readData(ofLength: 1 << 20)
            bytesRead += data.count
            if data.isEmpty {
                finished = true
                try finish()
            } else {
                try consume(data)
            }
        }
        guard !queued.isEmpty else { return nil }
        let take = Array(queued.prefix(chunkRows))
        queued.removeFirst(take.count)
        let columns = self.columns ?? []
        let first = take.first!.line
        let last = take.last!.line
        if let bad = take.first(where: { $0.problem != nil }) {
            return Chunk(
                frame: InputFrame(columns: columns, rows: []), firstLine: first, lastLine: last,
                error: .badRequest("line \(bad.line): \(bad.problem!)"))
        }
        return Chunk(
            frame: InputFrame(columns: columns, rows: take.map { $0.row! }), firstLine: first, lastLine: last,
            error: nil)
    }

    private mutating func consume(_ data: Data) throws {
        switch format {
        case .csv:
            csv.feed(data)
            takeCSV()
        case .jsonl:
            for b in data {
                if b == UInt8(ascii: "\n") {
                    line += 1
                    takeJSONLine(lineBuffer, line: line)
                    lineBuffer.removeAll(keepingCapacity: true)
                } else {
                    lineBuffer.append(b)
                }
            }
        }
    }

    private mutating func finish() throws {
        switch format {
        case .csv:
            do {
                try csv.finish()
            } catch {
                queued.append((error.line, nil, error.message))
            }
            takeCSV()
            if header == nil { throw MlflowError.invalid("The input is empty: a CSV file needs a header line.") }
        case .jsonl:
            if !lineBuffer.isEmpty {
                line += 1
                takeJSONLine(lineBuffer, line: line)
            }
            if columns == nil { throw MlflowError.invalid("The input has no records.") }
        }
    }

    private mutating func takeCSV() {
        for record in csv.take() {
            guard let header else {
                header = record.fields
                columns = record.fields
                continue
            }
            guard takesNextRow() else { continue }
            if record.fields.count != header.count {
                queued.append(
                    (record.line, nil, "\(record.fields.count) fields but the header has \(header.count)"))
            } else {
                queued.append((record.line, record.fields.map(CSVFrameReader.typed), nil))
            }
        }
    }

    private mutating func takeJSONLine(_ bytes: [UInt8], line: Int) {
        if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
        // Every record counts towards the split; other shards' records are read only for the first one's fields.
        let mine = takesNextRow()
        guard mine || columns == nil else { return }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            if mine { queued.append((line, nil, "\(error)")) }
            return
        }
        guard case .object(let fields) = value else {
            if mine { queued.append((line, nil, "expected a JSON object per line")) }
            return
        }
        if columns == nil {
            let names = Set(fields.keys)
            let first = (columnOrder ?? []).filter(names.contains)
            columns = first + names.subtracting(first).sorted()
        }
        guard mine else { return }
        let columns = self.columns!
        if let extra = fields.keys.first(where: { !columns.contains($0) }) {
            queued.append((line, nil, "field '\(extra)' is not in the first record's fields"))
            return
        }
        queued.append((line, columns.map { fields[$0] ?? .null }, nil))
    }
}
