import Crypto
import Foundation

/// Random secrets handed to clients (API tokens, session cookies) and the digests the store keeps.
///
/// A secret is 32 random bytes in URL-safe base64 behind a prefix that says what it is; it is shown
/// once and only its SHA-256 is stored, so a leaked database holds no usable credential.
///
/// ```swift
/// let secret = SecretToken.make(prefix: "cairn_")
/// let stored = SecretToken.digest(secret)  // 64 hex digits
/// ```
public enum SecretToken {
    /// The prefix of API tokens.
    public static let apiPrefix = "cairn_"

    /// A new secret: `prefix` and 43 characters of URL-safe base64 (256 random bits).
    public static func make(prefix: String) -> String {
        prefix + base64URL(randomBytes(32))
    }

    /// A short random id for listing a token (`tok_` and 10 hex digits).
    public static func makeId() -> String {
        "tok_" + randomBytes(5).map { String(format: "%02x", $0) }.joined()
    }

    /// The SHA-256 of a secret, in lower-case hex.
    public static func digest(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in rng.next() }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
