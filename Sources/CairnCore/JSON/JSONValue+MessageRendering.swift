extension JSONValue {
    /// The compact form the reference server quotes offending values with in its error
    /// messages: keys sorted, no spaces, non-ASCII escaped as `\uXXXX`, floats in shortest
    /// round-trip form with `.0` or an exponent (`"foo"`, `5`, `1.0`, `1e+20`, `{"a":1}`).
    public var messageRendering: String {
        var out = ""
        appendMessageRendering(to: &out)
        return out
    }

    private func appendMessageRendering(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += Self.pythonFloat(d)
        case .string(let s): Self.appendQuoted(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.appendMessageRendering(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                Self.appendQuoted(key, to: &out)
                out += ":"
                object[key]?.appendMessageRendering(to: &out)
            }
            out += "}"
        }
    }

    /// Python's `repr` of a float: `NaN`, `Infinity`, `1.0`, `1.5`, `1e+20`, `1e-05`.
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        let text = "\(d)"
        guard let e = text.firstIndex(of: "e") else { return text }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = String(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") || exponent.hasPrefix("+") {
            if exponent.hasPrefix("-") { sign = "-" }
            exponent.removeFirst()
        }
        if exponent.count < 2 { exponent = "0" + exponent }
        return mantissa + "e" + sign + exponent
    }

    private static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x80 {
                    out.unicodeScalars.append(scalar)
                } else {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
