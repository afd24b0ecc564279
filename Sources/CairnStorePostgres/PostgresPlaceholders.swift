/// Rewrites the store's `?` placeholders into PostgreSQL's numbered `$1, $2, …`.
///
/// A `?` inside a `'…'` string literal, a `"…"` quoted identifier, a `--` line comment or a
/// `/* … */` comment is left alone (doubled quotes inside literals are handled).
///
/// ```swift
/// PostgresPlaceholders.rewrite("SELECT '?' WHERE a = ? AND b = ?")  // ("SELECT '?' WHERE a = $1 AND b = $2", 2)
/// ```
enum PostgresPlaceholders {
    /// The rewritten text and the number of placeholders found.
    static func rewrite(_ sql: String) -> (text: String, count: Int) {
        guard sql.utf8.contains(UInt8(ascii: "?")) else { return (sql, 0) }
        enum State { case code, string, identifier, lineComment, blockComment }
        var out: [UInt8] = []
        out.reserveCapacity(sql.utf8.count + 16)
        var state = State.code
        var count = 0
        var previous: UInt8 = 0
        for byte in sql.utf8 {
            switch state {
            case .code:
                switch byte {
                case UInt8(ascii: "?"):
                    count += 1
                    out.append(UInt8(ascii: "$"))
                    out.append(contentsOf: String(count).utf8)
                    previous = 0
                    continue
                case UInt8(ascii: "'"): state = .string
                case UInt8(ascii: "\""): state = .identifier
                case UInt8(ascii: "-") where previous == UInt8(ascii: "-"): state = .lineComment
                case UInt8(ascii: "*") where previous == UInt8(ascii: "/"):
                    // The opening `*` cannot also close the comment (`/*/`).
                    state = .blockComment
                    out.append(byte)
                    previous = 0
                    continue
                default: break
                }
            case .string:
                // A doubled '' closes and reopens the literal, which this handles by itself.
                if byte == UInt8(ascii: "'") { state = .code }
            case .identifier:
                if byte == UInt8(ascii: "\"") { state = .code }
            case .lineComment:
                if byte == UInt8(ascii: "\n") { state = .code }
            case .blockComment:
                if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "*") {
                    state = .code
                    out.append(byte)
                    previous = 0
                    continue
                }
            }
            out.append(byte)
            previous = byte
        }
        return (String(decoding: out, as: UTF8.self), count)
    }
}
