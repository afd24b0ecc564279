import CairnCore
import CairnServingCore
import Foundation

/// Writes scored rows: the input columns followed by the prediction — a `prediction` column for
/// one value per row, `prediction_0…` for a list, the field names for a record.
struct ChunkWriter {
    let format: BatchScorer.Format
    private let handle: FileHandle
    private let owned: Bool
    private var wroteHeader = false
    private var predictionColumns: [String]?

    init(path: String, format: BatchScorer.Format) throws {
        self.format = format
        if path == "-" {
            handle = FileHandle.standardOutput
            owned = false
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let h = FileHandle(forWritingAtPath: path)
            else { throw MlflowError.invalid("Cannot write the output file '\(path)'.") }
            handle = h
            owned = true
        }
    }

    func close() {
        if owned { try? handle.close() }
    }

    mutating func write(_ frame: InputFrame, outputs: [JSONValue]) throws {
        var out: [UInt8] = []
        out.reserveCapacity(frame.count * 64)
        switch format {
        case .jsonl:
            for (i, row) in frame.rows.enumerated() {
                var w = JSONWriter(capacity: 128)
                w.object { w in
                    for (c, v) in zip(frame.columns, row) {
                        w.key(c)
                        w.value(v)
                    }
                    w.key("prediction")
                    w.value(outputs[i])
                }
                out.append(contentsOf: w.bytes)
                out.append(10)
            }
        case .csv:
            let names = predictionColumns ?? Self.columns(for: outputs.first ?? .null)
            predictionColumns = names
            if !wroteHeader {
                out.append(contentsOf: (frame.columns + names).map(Self.cell).joined(separator: ",").utf8)
                out.append(10)
                wroteHeader = true
            }
            for (i, row) in frame.rows.enumerated() {
                let predicted: [JSONValue] =
                    switch outputs[i] {
                    case .array(let items): names.indices.map { $0 < items.count ? items[$0] : .null }
                    case .object(let fields): names.map { fields[$0] ?? .null }
                    default: [outputs[i]]
                    }
                out.append(contentsOf: (row + predicted).map(Self.text).map(Self.cell).joined(separator: ",").utf8)
                out.append(10)
            }
        }
        try handle.write(contentsOf: out)
    }

    static func columns(for first: JSONValue) -> [String] {
        switch first {
        case .array(let items): items.indices.map { "prediction_\($0)" }
        case .object(let fields): fields.keys.sorted()
        default: ["prediction"]
        }
    }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .null: ""
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .double(let d): d.isNaN ? "" : String(d)
        case .string(let s): s
        case .array, .object:
            {
                var w = JSONWriter()
                w.value(v)
                return String(decoding: w.bytes, as: UTF8.self)
            }()
        }
    }

    static func cell(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
