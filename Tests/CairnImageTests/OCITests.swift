import CairnCore
import Foundation
import Testing

@testable import CairnImage

@Test func gzipRoundTripAndFixedHeader() throws {
    let input = [UInt8]((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 251) })
    let packed = try Gzip.compress(input)
    #expect(packed[0] == 0x1F && packed[1] == 0x8B && packed[2] == 8)
    #expect(packed[3] == 0)  // no FNAME, FCOMMENT or FEXTRA
    #expect(Array(packed[4..<8]) == [0, 0, 0, 0])  // mtime 0
    #expect(try Gzip.compress(input) == packed)
    #expect(try Gzip.decompress(packed) == input)
    #expect(throws: Gzip.Failure.self) { try Gzip.decompress([0x1F, 0x8B, 8, 0, 1, 2, 3]) }
}

@Test func digestOfKnownInput() {
    #expect(
        Digest(of: Array("{}".utf8)).description
            == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
    #expect(Digest(parsing: "sha256:ABC") == nil)
    #expect(Digest(parsing: "md5:" + String(repeating: "0", count: 64)) == nil)
}

@Test func timestampsAreRFC3339() {
    #expect(ImageConfig.timestamp(epoch: 0) == "1970-01-01T00:00:00Z")
    #expect(ImageConfig.timestamp(epoch: 1_700_000_000) == "2023-11-14T22:13:20Z")
}

func temporaryFolder() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("cairn-oci-\(UUID().uuidString)").path
}

func samplePlan() -> ImagePlan {
    var plan = ImagePlan()
    var layer = LayerBuilder()
    layer.addFile("etc/passwd", contents: Array(RuntimeLayer.passwd.utf8))
    layer.addFile("app/hello", contents: Array("#!/bin/sh\necho hi\n".utf8), mode: 0o755)
    plan.layers = [.init(content: layer, history: .init(createdBy: "test", comment: "files"))]
    plan.entrypoint = ["/app/hello"]
    plan.exposedPorts = ["8080/tcp"]
    plan.labels = ["cairn.model.name": "m"]
    return plan
}

@Test func layoutIsConsistentAndReproducible() throws {
    let a = temporaryFolder()
    let b = temporaryFolder()
    defer {
        try? FileManager.default.removeItem(atPath: a)
        try? FileManager.default.removeItem(atPath: b)
    }
    let first = try ImageAssembler.write(samplePlan(), to: try OCILayout.create(at: a), tag: "v1", epoch: 0)
    let second = try ImageAssembler.write(samplePlan(), to: try OCILayout.create(at: b), tag: "v1", epoch: 0)
    #expect(first.manifest.digest == second.manifest.digest)
    let layout = try OCILayout(existing: a)
    let manifest = try layout.manifest(tag: "v1")
    #expect(manifest.layers.count == 1)
    #expect(manifest.annotations["cairn.model.name"] == "m")
    let blob = try layout.readBlob(manifest.layers[0].digest)
    #expect(blob.count == manifest.layers[0].size)
    let config = try JSONParser.parse(try layout.readBlob(manifest.config.digest))
    let diffID = config["rootfs"]?["diff_ids"]?.arrayValue?.first?.stringValue
    #expect(diffID == Digest(of: try Gzip.decompress(blob)).description)
    #expect(config["config"]?["User"]?.stringValue == "65532:65532")
    #expect(config["config"]?["ExposedPorts"]?["8080/tcp"] == .object([:]))
    let index = try JSONParser.parse([UInt8](FileManager.default.contents(atPath: a + "/index.json") ?? Data()))
    #expect(index["manifests"]?.arrayValue?.first?["annotations"]?[MediaType.refNameAnnotation]?.stringValue == "v1")
    let later = try ImageAssembler.write(samplePlan(), to: try OCILayout.create(at: b), tag: "v1", epoch: 86400)
    #expect(later.manifest.digest != first.manifest.digest)
    #expect(try OCILayout(existing: b).index().count == 1)  // the tag was replaced, not duplicated
}

@Test func refusesAFolderThatIsNotALayout() throws {
    let dir = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: dir + "/notes.txt", contents: Data("x".utf8))
    #expect(throws: ImageError.notALayout(dir)) { try OCILayout.create(at: dir) }
    #expect(throws: ImageError.tagNotFound(layout: dir + "/fresh", tag: "x")) {
        _ = try OCILayout.create(at: dir + "/fresh").manifestDescriptor(tag: "x")
    }
}

@Test func baseEnvironmentMerges() {
    let merged = BaseImage.mergeEnvironment(
        ["PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8", "HOME=/root"],
        ["PATH=/app:/usr/bin", "HOME=/home/nonroot", "X=1"])
    #expect(merged == ["PATH=/app:/usr/bin:/usr/local/bin", "LANG=C.UTF-8", "HOME=/home/nonroot", "X=1"])
}
