import CairnRunner
import Foundation
import Testing

@Suite("Data digests")
struct DataDigestTests {
    func tempFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-digest-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        return dir
    }

    @Test func folderDigestIsStableAndNamesChangedFiles() throws {
        let dir = try tempFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: dir + "/train.csv"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/sub/extra.txt"))
        let first = try DataDigest.compute(path: dir)
        let again = try DataDigest.compute(path: dir)
        #expect(first == again)
        #expect(first.sha256.count == 64)
        #expect(first.files.keys.sorted() == ["sub/extra.txt", "train.csv"])
        #expect(first.bytes == 9)
        try Data("a,b\n1,3\n".utf8).write(to: URL(fileURLWithPath: dir + "/train.csv"))
        let changed = try DataDigest.compute(path: dir)
        #expect(changed.sha256 != first.sha256)
        #expect(changed.changedFiles(since: first.files) == ["train.csv"])
    }

    @Test func knownSHA256OfASingleFile() throws {
        let dir = try tempFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("abc".utf8).write(to: URL(fileURLWithPath: dir + "/f.txt"))
        let digest = try DataDigest.compute(path: dir + "/f.txt")
        #expect(digest.files["f.txt"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func missingPathIsAnError() {
        #expect(throws: RunnerError.self) { try DataDigest.compute(path: "/nonexistent/cairn/data") }
    }
}
