import CairnCore
import CairnServingCore

/// What is sent to a worker for one model call: a JSON header, and for tables whose columns the
/// signature declares as doubles, the values as a second message of little-endian float64s, column
/// after column — the worker maps them straight into numpy arrays instead of parsing JSON numbers
/// and converting them through MLflow's reader (the same float64 values either way).
struct WorkerPayload {
    var header: [UInt8]
    var columns: [UInt8]?

    /// The message for the requests of one batch (all tables with the same columns and params, or one
    /// tensor document). `doubleColumns` are the columns the signature types as `double`.
    init(_ requests: [ScoringRequest], doubleColumns: Set<String>) {
        var w = JSONWriter(capacity: 1024)
        var binary: [UInt8]? = nil
        let first = requests[0]
        w.object { w in
            switch first.input {
            case .frame(let frame):
                var combined = frame
                for r in requests.dropFirst() {
                    if case .frame(let f) = r.input { combined.append(f) }
                }
                if let packed = Self.packDoubles(combined, doubleColumns: doubleColumns) {
                    w.key("columns")
                    w.array { w in for c in combined.columns { w.value(c) } }
                    w.field("binary_rows", Int64(combined.count))
                    binary = packed
                } else {
                    combined.writeSplitFields(&w)
                }
            case .tensor(let format, let value):
                w.field("format", format)
                w.key("value")
                w.value(value)
            }
            if let params = first.params {
                w.key("params")
                w.value(params)
            }
        }
        header = w.bytes
        columns = binary
    }

    /// The frame's values as float64s column after column, when every column is a `double` of the
    /// signature and every value a number (null becomes NaN, as pandas reads a missing double).
    static func packDoubles(_ frame: InputFrame, doubleColumns: Set<String>) -> [UInt8]? {
        guard !frame.columns.isEmpty, frame.count > 0, frame.columns.allSatisfy(doubleColumns.contains) else {
            return nil
        }
        var out = [UInt8](repeating: 0, count: frame.columns.count * frame.count * 8)
        let ok = out.withUnsafeMutableBytes { raw -> Bool in
            let values = raw.bindMemory(to: UInt64.self)
            var i = 0
            for c in frame.columns.indices {
                for row in frame.rows {
                    let d: Double
                    switch row[c] {
                    case .double(let v): d = v
                    case .int(let v): d = Double(v)
                    case .null: d = .nan
                    default: return false
                    }
                    values[i] = d.bitPattern.littleEndian
                    i += 1
                }
            }
            return true
        }
        return ok ? out : nil
    }
}
