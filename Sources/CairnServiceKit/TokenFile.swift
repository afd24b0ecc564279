import Crypto
import Foundation

/// The bearer tokens a service accepts, read from a token file; only their SHA-256 digests are kept.
///
/// The file holds one accepted token per line. Blank lines and lines whose first non-blank
/// character is `#` are ignored. A line is either the token itself (16 to 4096 visible ASCII
/// characters, no spaces) or `sha256:` and the 64 hex digits of the token's SHA-256, so the file
/// need not hold the secret in clear:
///
/// ```text
/// # build server, rotated 2026-12
/// 6f1c0b0e52d9e8a7b4c3a2f1e0d9c8b7
/// sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
/// ```
///
/// ```swift
/// let tokens = try TokenFile.load(path: "tokens")
/// tokens.accepts(Array("6f1c0b0e52d9e8a7b4c3a2f1e0d9c8b7".utf8))   // true
/// ```
public struct TokenFile: Sendable {
    /// Shortest token accepted in clear.
    public static let minimumTokenLength = 16
    /// Longest token accepted in clear.
    public static let maximumTokenLength = 4096
    /// Largest token file read.
    public static let maximumFileBytes = 1 << 20

    /// The SHA-256 digests of the accepted tokens, 32 bytes each.
    let digests: [[UInt8]]

    /// Number of accepted tokens.
    public var count: Int { digests.count }

    /// One line that names a token.
    enum Entry {
        /// A token written in clear.
        case token(String)
        /// The SHA-256 of a token.
        case digest([UInt8])
    }

    /// Parses the text of a token file; errors name the line, never its content.
    public static func parse(_ text: String) throws(TokenFileError) -> TokenFile {
        let digests = try entries(text).map { entry in
            switch entry {
            case .token(let token): sha256(Array(token.utf8))
            case .digest(let digest): digest
            }
        }
        return TokenFile(digests: digests)
    }

    /// The entries of a token file's text, in order.
    static func entries(_ text: String) throws(TokenFileError) -> [Entry] {
        var found: [Entry] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = index + 1
            if line.lowercased().hasPrefix("sha256:") {
                guard let digest = Self.digest(hex: line.dropFirst("sha256:".count)) else {
                    throw TokenFileError("line \(number): 'sha256:' must be followed by 64 hex digits")
                }
                found.append(.digest(digest))
                continue
            }
            let bytes = Array(line.utf8)
            guard bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw TokenFileError(
                    "line \(number): a token is one word of visible ASCII characters (no spaces, no other text)")
            }
            guard bytes.count >= minimumTokenLength else {
                throw TokenFileError(
                    "line \(number): a token must be at least \(minimumTokenLength) characters long "
                        + "(make one with: openssl rand -hex 32)")
            }
            guard bytes.count <= maximumTokenLength else {
                throw TokenFileError("line \(number): a token must be at most \(maximumTokenLength) characters long")
            }
            found.append(.token(line))
        }
        return found
    }

    /// Reads and parses a token file, refusing one that is missing, unreadable, readable by every
    /// user, larger than ``maximumFileBytes``, not UTF-8 text, or without a token.
    public static func load(path: String) throws(TokenFileError) -> TokenFile {
        let text = try readText(path: path, refuseWorldReadable: true)
        let file: TokenFile
        do throws(TokenFileError) {
            file = try parse(text)
        } catch {
            throw TokenFileError("token file '\(path)', \(error.message)")
        }
        guard file.count > 0 else {
            throw TokenFileError(
                "token file '\(path)' holds no token (one token or sha256:<hex digest> per line; # starts a comment)")
        }
        return file
    }

    /// The token a client sends, from a file of the same format: its first token written in clear
    /// (so one file can serve both sides); `sha256:` lines are skipped.
    public static func clientToken(path: String) throws(TokenFileError) -> String {
        let text = try readText(path: path, refuseWorldReadable: false)
        let found: [Entry]
        do throws(TokenFileError) {
            found = try entries(text)
        } catch {
            throw TokenFileError("token file '\(path)', \(error.message)")
        }
        for case .token(let token) in found { return token }
        throw TokenFileError(
            "token file '\(path)' holds no token in clear (sha256: lines only tell a server what to accept)")
    }

    /// The text of a token file, read through one descriptor (its mode checked on the file read).
    static func readText(path: String, refuseWorldReadable: Bool) throws(TokenFileError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TokenFileError(
                errno == ENOENT ? "token file '\(path)' does not exist" : "cannot read token file '\(path)': \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw TokenFileError("cannot read token file '\(path)': \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw TokenFileError("token file '\(path)' is not a file") }
        guard !refuseWorldReadable || info.st_mode & 0o004 == 0 else {
            throw TokenFileError("token file '\(path)' is readable by every user; run: chmod 600 \(path)")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw TokenFileError("cannot read token file '\(path)': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            guard bytes.count <= maximumFileBytes else {
                throw TokenFileError("token file '\(path)' is larger than \(maximumFileBytes >> 20) MiB")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TokenFileError("token file '\(path)' is not UTF-8 text")
        }
        return text
    }

    /// Whether `token` is one of the accepted tokens. Its digest is compared with every accepted
    /// digest in time that does not depend on where (or whether) they differ.
    public func accepts(_ token: some Collection<UInt8>) -> Bool {
        guard !token.isEmpty else { return false }
        let presented = Self.sha256(Array(token))
        var found: UInt8 = 0
        for digest in digests {
            var difference: UInt8 = 0
            for i in 0..<32 { difference |= digest[i] ^ presented[i] }
            // 1 when every byte matched, else 0, without a branch on the secret.
            found |= UInt8(truncatingIfNeeded: (UInt16(difference) &- 1) >> 8) & 1
        }
        return found == 1
    }

    /// The SHA-256 of some bytes.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// 64 hex digits as 32 bytes; nil when the text is anything else.
    static func digest(hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x41...0x46: c - 0x41 + 10
            case 0x61...0x66: c - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = value(digits[i]), let low = value(digits[i + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }
}

/// A token file that cannot be used, with a message that says why (and never a token).
public struct TokenFileError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
