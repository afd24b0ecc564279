import CairnCore
import CairnDrift
import Foundation

/// Reads JSON Lines: one JSON object per line, keys are columns. Numbers make numeric columns, strings and
/// booleans categorical ones; `null` or an absent key is missing.
public enum JSONLinesReader {
    /// Reads a JSON Lines file.
    public static func read(path: String, categorical: Set<String> = []) throws -> DataTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError.unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse([UInt8](data), path: path, categorical: categorical)
    }

    /// Parses JSON Lines bytes; `path` names the input in errors.
    public static func parse(_ bytes: [UInt8], path: String, categorical: Set<String> = []) throws -> DataTable {
        var names: [String] = []
        var seen: Set<String> = []
        var rows: [[String: JSONValue]] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            guard let parsed = try? JSONParser.parse(Array(line)), case .object(let object) = parsed else {
                throw InputError.malformed(path: path, line: lineNumber, reason: "not a JSON object")
            }
            for key in object.keys.sorted() where !seen.contains(key) {
                seen.insert(key)
                names.append(key)
            }
            rows.append(object)
        }
        guard !rows.isEmpty else { throw InputError.empty(path: path) }
        var columns: [String: ColumnData] = [:]
        for name in names {
            let values = rows.map { $0[name] ?? .null }
            let allNumbers = values.allSatisfy { v in
                switch v {
                case .null, .int, .double: true
                default: false
                }
            }
            if allNumbers && !categorical.contains(name) {
                columns[name] = .numeric(values.map(number))
            } else {
                columns[name] = .categorical(values.map(category))
            }
        }
        return DataTable(columnNames: names, columns: columns, rowCount: rows.count)
    }

    /// A numeric cell: the number, or NaN when missing.
    private static func number(_ v: JSONValue) -> Double {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: .nan
        }
    }

    /// A categorical cell: the text of the value, the empty string when missing; arrays and objects as JSON.
    private static func category(_ v: JSONValue) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .array, .object:
            var writer = JSONWriter()
            writer.value(v)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }
}

/// Picks the reader by file extension: `.jsonl`/`.ndjson` for JSON Lines, anything else CSV.
public enum TableReader {
    /// Reads two tables at once (one thread each), as `cairn drift` does for reference and current.
    public static func readPair(
        _ first: String, _ second: String, categorical: Set<String> = []
    ) throws -> (DataTable, DataTable) {
        let slots = ResultSlots<DataTable>(count: 2)
        let paths = [first, second]
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            slots.set(i, Result { try read(path: paths[i], categorical: categorical) })
        }
        return (try slots.get(0), try slots.get(1))
    }

    /// Reads a table.
    public static func read(path: String, categorical: Set<String> = []) throws -> DataTable {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            return try JSONLinesReader.read(path: path, categorical: categorical)
        }
        return try CSVReader.read(path: path, categorical: categorical)
    }
}
