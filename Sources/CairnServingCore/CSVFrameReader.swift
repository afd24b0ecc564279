import CairnCore

/// Reads CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into frames, typing cells the
/// way pandas' reader does for the common cases: integers, floats, `True`/`False`, empty → null,
/// anything else a string.
///
/// Feed it chunks with ``feed(_:)`` and take complete records as they form, so a file of any size
/// is read in bounded memory.
public struct CSVFrameReader: Sendable {
    /// Why a CSV document was refused.
    public struct Failure: Error, Sendable {
        public var message: String
        /// 1-based line of the problem.
        public var line: Int
    }

    private var field: [UInt8] = []
    private var record: [String] = []
    private var quoted = false
    private var inQuotes = false
    private var afterQuote = false
    private var fieldStarted = false
    /// Physical lines consumed so far.
    public private(set) var line = 1
    private var recordLine = 1
    private var ready: [(line: Int, fields: [String])] = []

    public init() {}

    /// Reads a whole document: the first record is the header.
    public static func read(_ bytes: [UInt8]) throws(Failure) -> InputFrame {
        var reader = CSVFrameReader()
        reader.feed(bytes)
        try reader.finish()
        var records = reader.take()
        guard !records.isEmpty else { throw Failure(message: "the body is empty; expected a header line", line: 1) }
        let header = records.removeFirst().fields
        var rows: [[JSONValue]] = []
        rows.reserveCapacity(records.count)
        for r in records {
            guard r.fields.count == header.count else {
                throw Failure(
                    message: "line \(r.line) has \(r.fields.count) fields but the header has \(header.count)",
                    line: r.line)
            }
            rows.append(r.fields.map(typed))
        }
        return InputFrame(columns: header, rows: rows)
    }

    /// Consumes bytes; complete records become available through ``take()``.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    inQuotes = false
                    afterQuote = true
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                if afterQuote {
                    field.append(b)
                    inQuotes = true
                    afterQuote = false
                } else if !fieldStarted {
                    inQuotes = true
                    quoted = true
                    fieldStarted = true
                } else {
                    field.append(b)
                }
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\r"):
                break
            default:
                afterQuote = false
                fieldStarted = true
                field.append(b)
            }
        }
    }

    /// Ends the input: a last record without a newline is completed; an open quote is an error.
    public mutating func finish() throws(Failure) {
        if inQuotes { throw Failure(message: "a quoted field is not closed", line: recordLine) }
        if fieldStarted || !record.isEmpty || !field.isEmpty { endRecord() }
    }

    /// The complete records read so far, with the line each started on.
    public mutating func take() -> [(line: Int, fields: [String])] {
        defer { ready.removeAll(keepingCapacity: true) }
        return ready
    }

    private mutating func endField() {
        record.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoted = false
        afterQuote = false
        fieldStarted = false
    }

    private mutating func endRecord() {
        endField()
        if !(record.count == 1 && record[0].isEmpty) { ready.append((recordLine, record)) }
        record = []
    }

    /// A cell typed as pandas would read it.
    public static func typed(_ cell: String) -> JSONValue {
        if cell.isEmpty { return .null }
        if let i = Int64(cell) { return .int(i) }
        if let d = Double(cell), cell.first != "+" || cell.count > 1 { return .double(d) }
        switch cell {
        case "True", "TRUE", "true": return .bool(true)
        case "False", "FALSE", "false": return .bool(false)
        case "NaN", "nan", "NA", "N/A", "null", "NULL": return .null
        default: return .string(cell)
        }
    }
}
