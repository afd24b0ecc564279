import Crypto

/// A content digest as OCI writes it: `sha256:<64 hex digits>`.
public struct Digest: Sendable, Hashable, CustomStringConvertible {
    /// The 64 lowercase hex digits.
    public let hex: String

    /// The SHA-256 digest of `bytes`.
    public init(of bytes: [UInt8]) {
        hex = SHA256.hash(data: bytes).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Parses `sha256:<hex>`; nil for other algorithms or malformed text.
    public init?(parsing text: String) {
        guard text.hasPrefix("sha256:") else { return nil }
        let hex = String(text.dropFirst("sha256:".count))
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.hex = hex
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + hex }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
