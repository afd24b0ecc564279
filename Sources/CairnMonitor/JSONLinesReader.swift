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
        var names: [String] = []
        var seen: Set<String> = []
        var rows: [[String: Any]] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
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
            let values = rows.map { $0[name] }
            let allNumbers = values.allSatisfy { v in
                guard let v, !(v is NSNull) else { return true }
                guard let n = v as? NSNumber else { return false }
                return !isBoolean(n)
            }
            if allNumbers && !categorical.contains(name) {
                columns[name] = .numeric(values.map { ($0 as? NSNumber)?.doubleValue ?? .nan })
            } else {
                columns[name] = .categorical(
                    values.map { v in
                        guard let v, !(v is NSNull) else { return "" }
                        if let s = v as? String { return s }
                        if let n = v as? NSNumber {
                            return isBoolean(n) ? (n.boolValue ? "true" : "false") : n.stringValue
                        }
                        return String(describing: v)
                    })
            }
        }
        return DataTable(columnNames: names, columns: columns, rowCount: rows.count)
    }
}

/// Whether a parsed JSON number is really `true`/`false`.
func isBoolean(_ n: NSNumber) -> Bool {
    #if canImport(Darwin)
        return CFGetTypeID(n) == CFBooleanGetTypeID()
    #else
        return String(cString: n.objCType) == "c" && (n == NSNumber(value: true) || n == NSNumber(value: false))
            && (type(of: n) != NSNumber.self || n.description == "true" || n.description == "false")
    #endif
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
