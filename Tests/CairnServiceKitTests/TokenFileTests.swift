import Foundation
import Testing

@testable import CairnServiceKit

let tokenA = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
let tokenB = "second-token-of-the-file-0123456789"

@Test func tokensInClearAndAsDigestsAreAcceptedCommentsAndBlanksIgnored() throws {
    let digest = TokenFile.sha256(Array(tokenB.utf8)).map { String(format: "%02x", $0) }.joined()
    let text = "# build server\n\n  \(tokenA)  \r\n\t# another comment\nsha256:\(digest.uppercased())\n"
    let file = try TokenFile.parse(text)
    #expect(file.count == 2)
    #expect(file.accepts(Array(tokenA.utf8)))
    #expect(file.accepts(Array(tokenB.utf8)))
    #expect(!file.accepts(Array("sha256:\(digest)".utf8)))
    #expect(!file.accepts(Array(tokenA.dropLast().utf8)))
    #expect(!file.accepts(Array((tokenA + "0").utf8)))
    #expect(!file.accepts([UInt8]()))
}

@Test func theDigestIsSHA256OfTheTokenBytes() throws {
    // The SHA-256 of "abc" from FIPS 180-2, appendix B.1.
    let hex = TokenFile.sha256(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
    #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let file = try TokenFile.parse("sha256:\(hex)\n")
    #expect(file.accepts(Array("abc".utf8)))
}

@Test(arguments: [
    ("\(tokenA)\nsha256:abcd\n", "line 2: 'sha256:' must be followed by 64 hex digits"),
    ("# c\n\nsha256:\(String(repeating: "g", count: 64))", "line 3: 'sha256:' must be followed by 64 hex digits"),
    ("short\n", "line 1: a token must be at least 16 characters"),
    ("\(tokenA)\nuser \(tokenA)\n", "line 2: a token is one word of visible ASCII"),
    ("tökentökentökentöken\n", "line 1: a token is one word of visible ASCII"),
    ("\(String(repeating: "x", count: 4097))\n", "line 1: a token must be at most 4096 characters"),
])
func badLinesAreNamedByNumberWithoutTheirContent(text: String, message: String) throws {
    let error = try #require(throws: TokenFileError.self) { try TokenFile.parse(text) }
    #expect(error.message.hasPrefix(message), "\(error.message)")
    #expect(!error.message.contains(tokenA))
}

/// A temporary folder removed at the end of `body`.
func withFolder<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tokens-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

/// A temporary folder removed at the end of `body`, for async tests.
func withFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tokens-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// Writes `text` to `path` with `mode`.
func write(_ text: String, to path: String, mode: Int = 0o600) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

@Test func loadingRefusesFilesThatCannotBeUsed() throws {
    try withFolder { dir in
        let path = dir + "/tokens"
        func refusal() throws -> String {
            try #require(throws: TokenFileError.self) { try TokenFile.load(path: path) }.message
        }
        #expect(try refusal() == "token file '\(path)' does not exist")
        try write("\(tokenA)\n", to: path, mode: 0o644)
        #expect(try refusal() == "token file '\(path)' is readable by every user; run: chmod 600 \(path)")
        try write("# nothing yet\n\n", to: path)
        #expect(try refusal().contains("holds no token"))
        try write("\(tokenA)\nbad line\n", to: path)
        #expect(
            try refusal()
                == "token file '\(path)', line 2: a token is one word of visible ASCII characters (no spaces, no other text)"
        )
        try Data([0xFF, 0xFE, 0x41]).write(to: URL(fileURLWithPath: path))
        #expect(try refusal() == "token file '\(path)' is not UTF-8 text")
        #expect(throws: TokenFileError.self) { try TokenFile.load(path: dir) }
        try write("\(tokenA)\n", to: path, mode: 0o640)
        #expect(try TokenFile.load(path: path).accepts(Array(tokenA.utf8)))
    }
}
