/// A fragment of HTML that is safe to send: every interpolated `String` is escaped, only other
/// `Html` values are inserted as they are.
///
/// ```swift
/// let name = "<b>x</b>"
/// let cell: Html = "<td>\(name)</td>"   // <td>&lt;b&gt;x&lt;/b&gt;</td>
/// ```
public struct Html: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var raw: String

    /// Wraps markup that is already safe (constants, other `Html`).
    init(trusted raw: String) { self.raw = raw }

    /// Creates a fragment from a literal, which is trusted markup.
    public init(stringLiteral value: String) { raw = value }

    /// Creates a fragment from an interpolation that escaped its strings.
    public init(stringInterpolation: Interpolation) { raw = stringInterpolation.raw }

    public var description: String { raw }

    /// Appends another fragment.
    static func += (lhs: inout Html, rhs: Html) { lhs.raw += rhs.raw }

    /// Joins fragments.
    static func join(_ parts: [Html]) -> Html { Html(trusted: parts.map(\.raw).joined()) }

    /// Builds the interpolated markup, escaping strings and numbers.
    public struct Interpolation: StringInterpolationProtocol {
        var raw = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            raw.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { raw += literal }
        public mutating func appendInterpolation(_ text: String) { raw += Html.escape(text) }
        public mutating func appendInterpolation(_ text: String?) { raw += Html.escape(text ?? "") }
        public mutating func appendInterpolation(_ html: Html) { raw += html.raw }
        public mutating func appendInterpolation(_ html: Html?) { raw += html?.raw ?? "" }
        public mutating func appendInterpolation(_ parts: [Html]) { for p in parts { raw += p.raw } }
        public mutating func appendInterpolation(_ n: Int) { raw += String(n) }
        public mutating func appendInterpolation(_ n: Int64) { raw += String(n) }
    }

    /// JSON for a `<script type="application/json">` data block: `<`, `>` and `&` become `\u003c`,
    /// `\u003e` and `\u0026`, so no text in the data (`</script>`, `<!--<script`) can end or change the
    /// block. Those characters only occur inside JSON strings, where the escapes mean the same.
    static func scriptJSON(_ json: [UInt8]) -> Html {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 16)
        for byte in json {
            switch byte {
            case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
            case UInt8(ascii: ">"): out += Array("\\u003e".utf8)
            case UInt8(ascii: "&"): out += Array("\\u0026".utf8)
            default: out.append(byte)
            }
        }
        return Html(trusted: String(decoding: out, as: UTF8.self))
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
