import CZlib
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files of a prediction log folder and their lines: `*.jsonl` and `*.jsonl.gz` in name order
/// (an hour's rotated parts `NAME.1.jsonl`, `NAME.2.jsonl` after `NAME.jsonl`).
public enum PredictionLogFiles {
    /// The log files in `directory`, oldest first.
    public static func list(directory: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw InputError.unreadable(path: directory, reason: "not a readable folder")
        }
        return
            names
            .filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".jsonl.gz") }
            .sorted { sortKey($0) < sortKey($1) }
            .map { directory + "/" + $0 }
    }

    /// `(stem, part)`: `predictions-2026-12-07T09.2.jsonl.gz` → `("predictions-2026-12-07T09", 2)`.
    static func sortKey(_ name: String) -> (String, Int) {
        var stem = Substring(name)
        if stem.hasSuffix(".gz") { stem = stem.dropLast(3) }
        stem = stem.dropLast(".jsonl".count)
        if let dot = stem.lastIndex(of: "."), let part = Int(stem[stem.index(after: dot)...]) {
            return (String(stem[..<dot]), part)
        }
        return (String(stem), 0)
    }

    /// Reads the complete lines of `path` after byte `offset` and returns the offset after the last
    /// complete line. A gzip file is read whole (it is closed, not growing) and the returned offset
    /// is `Int.max`. A last line without a newline is left for the next call unless `final`.
    @discardableResult
    public static func readLines(
        path: String, from offset: Int = 0, final: Bool = true, _ body: (ArraySlice<UInt8>) throws -> Void
    ) throws -> Int {
        if path.hasSuffix(".gz") {
            guard offset == 0 else { return offset }
            try readGzip(path: path, body)
            return Int.max
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError.unreadable(path: path, reason: "cannot open")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(offset))
        } catch {
            throw InputError.unreadable(path: path, reason: "cannot seek to \(offset)")
        }
        var consumed = offset
        var buffer: [UInt8] = []
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw InputError.unreadable(path: path, reason: "\(error)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            buffer.append(contentsOf: chunk)
            consumed += try emitLines(&buffer, body)
        }
        if final && !buffer.isEmpty {
            try body(buffer[...])
            consumed += buffer.count
        }
        return consumed
    }

    /// Calls `body` for every complete line in `buffer`, drops them and returns how many bytes went.
    static func emitLines(_ buffer: inout [UInt8], _ body: (ArraySlice<UInt8>) throws -> Void) throws -> Int {
        var start = 0
        let count = buffer.count
        // memchr finds each newline a word at a time.
        let ends: [Int] = buffer.withUnsafeBytes { raw in
            var found: [Int] = []
            var at = 0
            while at < count, let hit = memchr(raw.baseAddress! + at, 10, count - at) {
                let nl = raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
                found.append(nl)
                at = nl + 1
            }
            return found
        }
        for nl in ends {
            if nl > start { try body(buffer[start..<nl]) }
            start = nl + 1
        }
        buffer.removeFirst(start)
        return start
    }

    static func readGzip(path: String, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        guard let file = gzopen(path, "rb") else { throw InputError.unreadable(path: path, reason: "cannot open") }
        defer { gzclose(file) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw InputError.unreadable(path: path, reason: "damaged gzip data") }
            if n == 0 { break }
            buffer.append(contentsOf: chunk[0..<Int(n)])
            _ = try emitLines(&buffer, body)
        }
        if !buffer.isEmpty { try body(buffer[...]) }
    }
}
