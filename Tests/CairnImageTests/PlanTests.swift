import Foundation
import Testing

@testable import CairnImage

@Test func lddOutputGivesLoaderAndLibraries() throws {
    let output = """
        \tlinux-vdso.so.1 (0x00007ffd)
        \tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007f1b)
        \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1c)
        \t/lib64/ld-linux-x86-64.so.2 (0x00007f1d)
        """
    #expect(
        try BinaryDependencies.parseLdd(output, binary: "cairn") == [
            "/opt/swift/usr/lib/swift/linux/libswiftCore.so", "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib64/ld-linux-x86-64.so.2",
        ])
    #expect(throws: ImageError.missingLibrary(binary: "cairn", library: "libfoo.so.1")) {
        try BinaryDependencies.parseLdd("\tlibfoo.so.1 => not found\n", binary: "cairn")
    }
}

@Test func elfInterpreterDecidesDynamic() throws {
    let shell = [UInt8](FileManager.default.contents(atPath: "/bin/sh") ?? Data())
    #expect(try BinaryDependencies.isDynamic(elf: shell))
    // A minimal static ELF header: one PT_LOAD program header, no PT_INTERP.
    var elf = [UInt8](repeating: 0, count: 64 + 56)
    elf.replaceSubrange(0..<6, with: [0x7F, 0x45, 0x4C, 0x46, 2, 1])
    elf[0x20] = 64  // e_phoff
    elf[0x36] = 56  // e_phentsize
    elf[0x38] = 1  // e_phnum
    elf[64] = 1  // PT_LOAD
    #expect(try BinaryDependencies.isDynamic(elf: elf) == false)
    elf[64] = 3  // PT_INTERP
    #expect(try BinaryDependencies.isDynamic(elf: elf))
    #expect(throws: ImageError.self) { try BinaryDependencies.isDynamic(elf: Array("#!/bin/sh\n".utf8)) }
}

@Test func resolvedLibrariesOfAHostBinary() throws {
    let libraries = try BinaryDependencies.resolve(binary: "/bin/sh")
    #expect(libraries.contains { $0.hasSuffix("/libc.so.6") })
    #expect(libraries.contains(where: RuntimeLayer.isLoader))
}

@Test func modelPlanSettingsAndLabels() throws {
    let dir = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: dir + "/MLmodel", contents: Data("flavors: {}\n".utf8))
    let lineage = ModelLineage(
        name: "churn", version: "3", uri: "models:/churn/3", runId: "abc", gitCommit: "deadbeef", dataDigest: "d1",
        runtime: "native")
    let plan = try ImagePlan.model(
        cairn: "/bin/sh", libraries: [], folder: dir, lineage: lineage, created: "1970-01-01T00:00:00Z")
    #expect(plan.entrypoint == ["/app/cairn", "serve", "/models/churn/3"])
    #expect(plan.cmd == ["--host", "0.0.0.0", "--port", "8080"])
    #expect(plan.user == "65532:65532")
    #expect(plan.exposedPorts == ["8080/tcp"])
    #expect(plan.labels["cairn.git.commit"] == "deadbeef" && plan.labels["cairn.data.digest"] == "d1")
    #expect(plan.labels["org.opencontainers.image.revision"] == "deadbeef")
    #expect(plan.layers.count == 2)
    let runtime = readTar(try plan.layers[0].content.tar(mtime: 0))
    #expect(runtime.contains { $0.name == "app/cairn" && $0.mode == 0o755 })
    #expect(runtime.contains { $0.name == "tmp/" && $0.mode == 0o1777 })
    #expect(runtime.contains { $0.name == "home/nonroot/" && $0.uid == 65532 })
    let model = readTar(try plan.layers[1].content.tar(mtime: 0))
    #expect(model.map(\.name).contains("models/churn/3/MLmodel"))
}

@Test func modelPlanOnABaseKeepsLibrariesApart() throws {
    let dir = temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: dir + "/MLmodel", contents: Data("flavors: {}\n".utf8))
    let libraries = try BinaryDependencies.resolve(binary: "/bin/sh")
    let plan = try ImagePlan.model(
        cairn: "/bin/sh", libraries: libraries, folder: dir,
        lineage: ModelLineage(name: "m", version: "1", uri: "m", runtime: "python"), created: "", onBase: true)
    #expect(plan.entrypoint.first?.hasPrefix("/app/lib/ld-linux") == true)
    #expect(Array(plan.entrypoint.dropFirst()) == ["--library-path", "/app/lib", "/app/cairn", "serve", "/models/m/1"])
    let names = readTar(try plan.layers[0].content.tar(mtime: 0)).map(\.name)
    #expect(names.contains("app/lib/libc.so.6"))
    #expect(!names.contains { $0.hasPrefix("lib/") || $0.hasPrefix("lib64/") })
    #expect(!names.contains("etc/passwd"))  // the base's users stay
}

@Test func referencesAndTags() throws {
    let r = try ImageReference(parsing: "127.0.0.1:5055/mlops/churn:3")
    #expect(r.host == "127.0.0.1:5055" && r.repository == "mlops/churn" && r.tag == "3")
    #expect(try ImageReference(parsing: "localhost/a").tag == "latest")
    #expect(throws: ImageError.self) { try ImageReference(parsing: "churn:3") }
    #expect(throws: ImageError.self) { try ImageReference(parsing: "registry.example.com/Upper/x:1") }
    #expect(ImageTagRule.isValid("v1.2-rc_3"))
    #expect(!ImageTagRule.isValid(".hidden") && !ImageTagRule.isValid(""))
    #expect(SourceDateEpoch.value([:]) == 0 && SourceDateEpoch.value(["SOURCE_DATE_EPOCH": "12"]) == 12)
    #expect(SourceDateEpoch.value(["SOURCE_DATE_EPOCH": "-1"]) == nil)
}

@Test func bearerChallengeParameters() {
    let p = RegistryTransfer.challengeParameters(
        #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:push,pull""#
    )
    #expect(p["realm"] == "https://auth.example.com/token")
    #expect(p["service"] == "registry.example.com")
    #expect(p["scope"] == "repository:a/b:push,pull")
}
