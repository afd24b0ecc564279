import CairnDrift
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fast RFC 4180 CSV reader with column type inference.
///
/// The file is scanned once as bytes; every field is tried as a number in place with `strtod` (correctly
/// rounded, so values equal those other tools parse). A column is numeric when every non-empty field is a
/// number (`nan` and `inf` included); empty fields are missing. Other columns, and columns listed in
/// `categorical`, keep their text.
public enum CSVReader {
    /// Reads a CSV file.
    public static func read(path: String, categorical: Set<String> = []) throws -> DataTable {
        let bytes = try readTerminated(path: path)
        return try bytes.withUnsafeBufferPointer { buffer in
            try parse(buffer, length: buffer.count - 1, path: path, categorical: categorical)
        }
    }

    /// The file's bytes followed by one 0 byte, read straight into the array (no second copy).
    static func readTerminated(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError.unreadable(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            var filled = 0
            while filled < size {
                let n = readSome(fd, buffer.baseAddress! + filled, size - filled)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                if n <= 0 { break }
                filled += n
            }
            buffer[filled] = 0
            count = filled + 1
        }
        if failure != 0 { throw InputError.unreadable(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }

    /// Parses CSV bytes.
    public static func parse(_ data: Data, path: String = "<input>", categorical: Set<String> = []) throws -> DataTable
    {
        var bytes = [UInt8](data)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { buffer in
            try parse(buffer, length: buffer.count - 1, path: path, categorical: categorical)
        }
    }

    struct Field {
        var start: Int32
        var end: Int32
        var quoted: Bool
    }

    static func parse(
        _ buf: UnsafeBufferPointer<UInt8>, length: Int, path: String, categorical: Set<String>
    ) throws -> DataTable {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var pos = 0
        var line = 1
        // Reads one record into `fields`; returns false at end of input.
        func record(_ fields: inout [Field]) throws -> Bool {
            fields.removeAll(keepingCapacity: true)
            if pos >= length { return false }
            while true {
                if pos < length && buf[pos] == quote {
                    pos += 1
                    let start = pos
                    while true {
                        guard pos < length else {
                            throw InputError.malformed(path: path, line: line, reason: "unterminated quoted field")
                        }
                        if buf[pos] == quote {
                            if pos + 1 < length && buf[pos + 1] == quote {
                                pos += 2
                                continue
                            }
                            break
                        }
                        if buf[pos] == lf { line += 1 }
                        pos += 1
                    }
                    fields.append(Field(start: Int32(start), end: Int32(pos), quoted: true))
                    pos += 1
                    if pos < length && buf[pos] != comma && buf[pos] != lf && buf[pos] != cr {
                        throw InputError.malformed(path: path, line: line, reason: "text after a closing quote")
                    }
                } else {
                    let start = pos
                    while pos < length {
                        let b = buf[pos]
                        if b == comma || b == lf || b == cr { break }
                        pos += 1
                    }
                    fields.append(Field(start: Int32(start), end: Int32(pos), quoted: false))
                }
                if pos < length && buf[pos] == comma {
                    pos += 1
                    continue
                }
                if pos < length && buf[pos] == cr { pos += 1 }
                if pos < length && buf[pos] == lf { pos += 1 }
                line += 1
                return true
            }
        }
        guard length < Int(Int32.max) else { throw InputError.unreadable(path: path, reason: "file larger than 2 GB") }
        var row: [Field] = []
        guard try record(&row), !(row.count == 1 && row[0].start == row[0].end) else {
            throw InputError.empty(path: path)
        }
        let names = row.map { text(buf, $0) }
        let width = names.count
        if Set(names).count != width {
            throw InputError.malformed(path: path, line: 1, reason: "duplicate column names")
        }
        let dataStart = pos
        let dataLine = line
        var numeric = [[Double]](repeating: [], count: width)
        let forced = names.map { categorical.contains($0) }
        var isNumeric = forced.map { !$0 }
        // Text is kept only for columns known to be categorical from the start; columns that turn out not
        // to be numeric are collected in a second pass.
        var texts = [[Field]](repeating: [], count: width)
        var flipped = false
        var rows = 0
        while try record(&row) {
            if row.count == 1 && row[0].start == row[0].end { continue }  // blank line
            guard row.count == width else {
                throw InputError.malformed(
                    path: path, line: line - 1, reason: "expected \(width) fields, found \(row.count)")
            }
            for c in 0..<width {
                let f = row[c]
                guard isNumeric[c] else {
                    if forced[c] { texts[c].append(f) }
                    continue
                }
                if f.start == f.end {
                    numeric[c].append(.nan)
                    continue
                }
                if let v = parseNumber(buf, Int(f.start), Int(f.end)) {
                    numeric[c].append(v)
                } else {
                    isNumeric[c] = false
                    numeric[c] = []
                    flipped = true
                }
            }
            rows += 1
        }
        guard rows > 0 else { throw InputError.empty(path: path) }
        if flipped {
            pos = dataStart
            line = dataLine
            let wanted = (0..<width).filter { !isNumeric[$0] && !forced[$0] }
            while try record(&row) {
                if row.count == 1 && row[0].start == row[0].end { continue }
                for c in wanted { texts[c].append(row[c]) }
            }
        }
        var columns: [String: ColumnData] = [:]
        for c in 0..<width {
            if isNumeric[c] {
                columns[names[c]] = .numeric(numeric[c])
            } else {
                columns[names[c]] = .categorical(texts[c].map { text(buf, $0) })
            }
        }
        return DataTable(columnNames: names, columns: columns, rowCount: rows)
    }

    /// Parses `buf[start..<end]` as a number, or returns nil. Decimals with at most 19 significant digits
    /// and a power of ten within ±27 (every float pandas' `to_csv` or a JSON writer prints in the usual
    /// ranges) are converted exactly by ``DecimalDouble``; anything else goes to `strtod`. Both give the
    /// correctly rounded value.
    static func parseNumber(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if buf[i] == UInt8(ascii: "-") || buf[i] == UInt8(ascii: "+") {
            negative = buf[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawDigit = false
        while i < end, buf[i] &- 48 < 10 {
            if mantissa != 0 || buf[i] != 48 { digits += 1 }
            mantissa = mantissa &* 10 &+ UInt64(buf[i] &- 48)
            sawDigit = true
            i += 1
        }
        if i < end && buf[i] == UInt8(ascii: ".") {
            i += 1
            // Eight fraction digits at a time while the mantissa has room for them.
            while i + 8 <= end, digits <= 11, let eight = EightDigits.value(buf, i) {
                if mantissa == 0 {
                    digits = EightDigits.significant(eight)
                } else {
                    digits += 8
                }
                mantissa = mantissa &* 100_000_000 &+ eight
                scale -= 8
                sawDigit = true
                i += 8
            }
            while i < end, buf[i] &- 48 < 10 {
                if mantissa != 0 || buf[i] != 48 { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(buf[i] &- 48)
                scale -= 1
                sawDigit = true
                i += 1
            }
        }
        if sawDigit && i < end && (buf[i] == UInt8(ascii: "e") || buf[i] == UInt8(ascii: "E")) {
            var j = i + 1
            var expNegative = false
            if j < end && (buf[j] == UInt8(ascii: "-") || buf[j] == UInt8(ascii: "+")) {
                expNegative = buf[j] == UInt8(ascii: "-")
                j += 1
            }
            var e = 0
            let digitsStart = j
            while j < end, buf[j] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(buf[j] &- 48) }
                j += 1
            }
            if j > digitsStart {
                scale += expNegative ? -e : e
                i = j
            }
        }
        if i == end && sawDigit && digits <= 19, let v = DecimalDouble.value(mantissa, scale) {
            return negative ? -v : v
        }
        var endPointer: UnsafeMutablePointer<CChar>? = nil
        let startPointer = UnsafeMutableRawPointer(mutating: buf.baseAddress! + start)
            .assumingMemoryBound(to: CChar.self)
        let v = strtod(startPointer, &endPointer)
        guard let endPointer, endPointer == startPointer + (end - start) else { return nil }
        return v
    }

    static func text(_ buf: UnsafeBufferPointer<UInt8>, _ f: Field) -> String {
        let slice = UnsafeBufferPointer(rebasing: buf[Int(f.start)..<Int(f.end)])
        let s = String(decoding: slice, as: UTF8.self)
        return f.quoted ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }
}

/// `read(2)`, outside `CSVReader` whose `read(path:)` hides the C function's name.
private func readSome(_ fd: Int32, _ into: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, into, count)
}
