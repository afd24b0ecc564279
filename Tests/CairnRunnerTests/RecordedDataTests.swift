import CairnRunner
import Foundation
import Testing

@Suite("Recorded data of a reproduction")
struct RecordedDataTests {
    /// A repository folder with ignored data, and an empty rebuilt checkout beside it.
    func layout() throws -> (base: String, record: RecordedData) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-data-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: base + "/repo/data/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/rebuilt", withIntermediateDirectories: true)
        try Data("x,y\n1,2\n".utf8).write(to: URL(fileURLWithPath: base + "/repo/data/train.csv"))
        try Data("z".utf8).write(to: URL(fileURLWithPath: base + "/repo/data/sub/more.txt"))
        let digest = try DataDigest.compute(path: base + "/repo/data")
        return (base, RecordedData(path: digest.path, files: digest.files))
    }

    @Test func dataOutsideTheCheckoutIsVerifiedAndPlacedAtItsRelativePath() throws {
        let (base, record) = try layout()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let location = record.locate(gitRoot: base + "/repo", rebuilt: base + "/rebuilt", override: nil)
        #expect(location.source == record.path)
        #expect(location.target == base + "/rebuilt/data")
        #expect(record.changedFiles(at: location.source).isEmpty)
        try RecordedData.place(from: location.source, into: location.target!)
        #expect(try String(contentsOfFile: base + "/rebuilt/data/sub/more.txt", encoding: .utf8) == "z")
        // Removing the checkout's copy leaves the original alone.
        try FileManager.default.removeItem(atPath: base + "/rebuilt/data")
        #expect(FileManager.default.fileExists(atPath: base + "/repo/data/train.csv"))
        // Once the commit tracks the data, the checkout's own copy is used.
        let tracked = record.locate(gitRoot: base + "/repo", rebuilt: base + "/repo", override: nil)
        #expect(tracked.source == base + "/repo/data" && tracked.target == nil)
    }

    @Test func changedMissingAndMovedDataAreNamed() throws {
        let (base, record) = try layout()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try Data("x,y\n1,3\n".utf8).write(to: URL(fileURLWithPath: base + "/repo/data/train.csv"))
        #expect(record.changedFiles(at: record.path) == ["train.csv"])
        #expect(record.changedFiles(at: base + "/nowhere") == ["(missing) \(base)/nowhere"])
        let overrides = try RecordedData.match(overrides: ["/mnt/copy/data/"], to: [record])
        #expect(overrides == ["/mnt/copy/data/"])
        let two = [record, RecordedData(path: "/elsewhere/labels.csv", files: [:])]
        #expect(try RecordedData.match(overrides: ["/mnt/labels.csv"], to: two) == [nil, "/mnt/labels.csv"])
        #expect(throws: RunnerError.self) { try RecordedData.match(overrides: ["/mnt/other"], to: two) }
    }
}
