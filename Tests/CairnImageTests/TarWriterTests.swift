import Foundation
import Testing

@testable import CairnImage

/// Reads back the headers of a tar: (name with prefix, type, mode, uid, size, mtime), PAX paths applied.
func readTar(_ bytes: [UInt8]) -> [(name: String, type: UInt8, mode: Int, uid: Int, size: Int, mtime: Int)] {
    var out: [(String, UInt8, Int, Int, Int, Int)] = []
    var offset = 0
    var paxPath: String?
    func field(_ at: Int, _ len: Int) -> String {
        String(decoding: bytes[(offset + at)..<(offset + at + len)].prefix { $0 != 0 }, as: UTF8.self)
    }
    func octal(_ at: Int, _ len: Int) -> Int {
        Int(field(at, len).trimmingCharacters(in: .whitespaces), radix: 8) ?? -1
    }
    while offset + 512 <= bytes.count, bytes[offset..<(offset + 512)].contains(where: { $0 != 0 }) {
        let size = octal(124, 12)
        let type = bytes[offset + 156]
        let prefix = field(345, 155)
        var name = prefix.isEmpty ? field(0, 100) : prefix + "/" + field(0, 100)
        let body = Array(bytes[(offset + 512)..<(offset + 512 + size)])
        if type == UInt8(ascii: "x") {
            let text = String(decoding: body, as: UTF8.self)
            paxPath =
                text.split(separator: "\n").compactMap { rec -> String? in
                    guard let r = rec.range(of: " path=") else { return nil }
                    return String(rec[r.upperBound...])
                }.first
        } else {
            if let p = paxPath { name = p }
            paxPath = nil
            out.append((name, type, octal(100, 8), octal(108, 8), size, octal(136, 12)))
        }
        offset += 512 + (size + 511) / 512 * 512
    }
    return out
}

@Test func headerFieldsAndChecksum() throws {
    var tar = TarWriter(mtime: 1_700_000_000)
    try tar.append(TarEntry(path: "/app/hello.txt", kind: .file(Array("hello\n".utf8)), mode: 0o644, uid: 7, gid: 8))
    let bytes = tar.finish()
    #expect(bytes.count == 512 * 4)  // header, one content block, two zero blocks
    #expect(String(decoding: bytes[0..<13], as: UTF8.self) == "app/hello.txt")
    #expect(String(decoding: bytes[257..<262], as: UTF8.self) == "ustar")
    var copy = Array(bytes[0..<512])
    for i in 148..<156 { copy[i] = 0x20 }
    let sum = copy.reduce(0) { $0 + Int($1) }
    let stored = Int(String(decoding: bytes[148..<154], as: UTF8.self), radix: 8)
    #expect(stored == sum)
    let entries = readTar(bytes)
    #expect(entries.count == 1)
    #expect(
        entries[0].mode == 0o644 && entries[0].uid == 7 && entries[0].size == 6 && entries[0].mtime == 1_700_000_000)
    #expect(String(decoding: bytes[512..<518], as: UTF8.self) == "hello\n")
}

@Test func longNamesUsePrefixThenPax() throws {
    let medium = String(repeating: "d", count: 90) + "/" + String(repeating: "f", count: 60)  // 151 bytes: prefix split
    let long = String(repeating: "x", count: 120) + "/" + String(repeating: "y", count: 130)  // leaf > 100: PAX
    var tar = TarWriter(mtime: 0)
    try tar.append(TarEntry(path: medium, kind: .file([1, 2, 3]), mode: 0o644))
    try tar.append(TarEntry(path: long, kind: .file([4]), mode: 0o600))
    let entries = readTar(tar.finish())
    #expect(entries.map(\.name) == [medium, long])
    #expect(entries[1].mode == 0o600)
}

@Test func paxRecordLengthCountsItself() {
    let record = TarWriter.paxRecord("path", String(repeating: "a", count: 95))
    let text = String(decoding: record, as: UTF8.self)
    #expect(text.hasPrefix("\(record.count) path="))
    #expect(text.hasSuffix("\n"))
}

@Test func refusesParentComponents() {
    var tar = TarWriter(mtime: 0)
    #expect(throws: TarWriter.Failure.badPath("a/../etc/passwd")) {
        try tar.append(TarEntry(path: "a/../etc/passwd", kind: .file([]), mode: 0o644))
    }
}

@Test func layerAddsParentsSortsAndIsReproducible() throws {
    var layer = LayerBuilder()
    layer.addFile("b/z.txt", contents: [1])
    layer.addFile("a/deep/x.txt", contents: [2], mode: 0o755)
    layer.addDirectory("home/nonroot", uid: 65532, gid: 65532)
    let entries = readTar(try layer.tar(mtime: 0))
    #expect(entries.map(\.name) == ["a/", "a/deep/", "a/deep/x.txt", "b/", "b/z.txt", "home/", "home/nonroot/"])
    #expect(entries.first { $0.name == "home/nonroot/" }?.uid == 65532)
    #expect(entries.allSatisfy { $0.mtime == 0 })
    var reordered = LayerBuilder()
    reordered.addDirectory("home/nonroot", uid: 65532, gid: 65532)
    reordered.addFile("a/deep/x.txt", contents: [2], mode: 0o755)
    reordered.addFile("b/z.txt", contents: [1])
    #expect(try reordered.tar(mtime: 0) == layer.tar(mtime: 0))
    #expect(try layer.tar(mtime: 1) != layer.tar(mtime: 0))
}

@Test func copyTreeKeepsExecutableBitOnly() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-image-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
    FileManager.default.createFile(
        atPath: dir + "/run.sh", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o700])
    FileManager.default.createFile(
        atPath: dir + "/sub/data.txt", contents: Data("x".utf8), attributes: [.posixPermissions: 0o600])
    FileManager.default.createFile(atPath: dir + "/.cairn-complete", contents: Data())
    var layer = LayerBuilder()
    try layer.copyTree(from: dir, to: "models/m/1") { $0 == ".cairn-complete" }
    let entries = readTar(try layer.tar(mtime: 0))
    #expect(
        entries.map(\.name) == [
            "models/", "models/m/", "models/m/1/", "models/m/1/run.sh", "models/m/1/sub/", "models/m/1/sub/data.txt",
        ])
    #expect(entries.first { $0.name.hasSuffix("run.sh") }?.mode == 0o755)
    #expect(entries.first { $0.name.hasSuffix("data.txt") }?.mode == 0o644)
}
