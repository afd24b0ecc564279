extension JSONWriter {
    /// The JSON text written so far, indented for people: two spaces per level, one value per line and
    /// `"key" : value` (the layout of Foundation's pretty-printed output, which earlier reports used).
    /// Empty objects and arrays stay `{}` and `[]`.
    public var prettyBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        func newline() {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if inString {
                out.append(c)
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                inString = true
                out.append(c)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(c)
                if i < bytes.count && (bytes[i] == UInt8(ascii: "}") || bytes[i] == UInt8(ascii: "]")) {
                    out.append(bytes[i])
                    i += 1
                } else {
                    depth += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(c)
            case UInt8(ascii: ","):
                out.append(c)
                newline()
            case UInt8(ascii: ":"):
                out.append(contentsOf: " : ".utf8)
            default:
                out.append(c)
            }
        }
        return out
    }
}
