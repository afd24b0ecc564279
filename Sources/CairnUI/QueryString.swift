import Foundation

/// The decoded parameters of a query string or form body, keeping repeated keys in order.
struct QueryString: Sendable {
    private(set) var pairs: [(String, String)] = []

    /// Parses `a=1&b=x+y&b=%2F`.
    init(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(String(kv[0]))
            let value = kv.count > 1 ? Self.decode(String(kv[1])) : ""
            pairs.append((key, value))
        }
    }

    /// The first value of `key`, nil when absent.
    subscript(_ key: String) -> String? { pairs.first { $0.0 == key }?.1 }

    /// Every value of `key`, in order.
    func all(_ key: String) -> [String] { pairs.filter { $0.0 == key }.map(\.1) }

    /// Decodes `+` and percent escapes; malformed escapes are kept as written.
    static func decode(_ s: String) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// Percent-encodes a query component or path segment.
    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// Builds `path?k=v&…`, skipping nil and empty values.
    static func url(_ path: String, _ params: [(String, String?)]) -> String {
        let parts = params.compactMap { key, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return encode(key) + "=" + encode(value)
        }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }
}
