import Foundation
import Testing

@testable import CairnImage

@Test func tarReaderReadsBackTheWriterWithLongNamesAndLinks() throws {
    let long = String(repeating: "x", count: 120) + "/" + String(repeating: "y", count: 130)
    var layer = LayerBuilder()
    layer.addFile(long, contents: [1, 2, 3])
    layer.addSymlink("usr/bin/python3", target: "python3.11")
    layer.addFile("usr/bin/python3.11", contents: Array("elf".utf8), mode: 0o755)
    let tar = try layer.tar(mtime: 0)
    let entries = try TarReader.entries(tar)
    let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
    #expect(byPath[long].map { Array(tar[$0.data]) } == [1, 2, 3])
    #expect(byPath["usr/bin/python3"]?.isSymlink == true)
    #expect(byPath["usr/bin/python3"]?.linkTarget == "python3.11")
    #expect(byPath["usr/bin"]?.isDirectory == true)
    #expect(byPath["usr/bin/python3.11"].map { String(decoding: tar[$0.data], as: UTF8.self) } == "elf")
}

@Test func tarReaderRejectsATruncatedEntry() throws {
    var layer = LayerBuilder()
    layer.addFile("a", contents: [UInt8](repeating: 7, count: 2000))
    let tar = try layer.tar(mtime: 0)
    #expect(throws: ImageError.self) { try TarReader.entries(Array(tar.prefix(1024))) }
}

@Test func pythonVersionFromEnvAndInterpreterFromLayers() throws {
    let python = try BasePython.detect(
        nodes: ["usr/local/bin/python3": .symlink("python3.12"), "usr/bin/python3": .file],
        libcFiles: [:], env: ["PATH=/usr/bin", "PYTHON_VERSION=3.12.4"], architecture: "amd64", reference: "b")
    #expect(python.interpreter == "/usr/local/bin/python3")
    #expect(python.version == "3.12")
    #expect(python.libc == .glibc(minor: BasePython.assumedGlibcMinor))
}

@Test func pythonVersionFromTheStandardLibraryFolder() throws {
    let python = try BasePython.detect(
        nodes: [
            "usr/bin/python3.11": .file, "usr/lib/python3.11/os.py": .file, "usr/lib/python3/dist-packages": .directory,
        ],
        libcFiles: [:], env: [], architecture: "arm64", reference: "b")
    #expect(python.interpreter == "/usr/bin/python3.11")
    #expect(python.version == "3.11")
    #expect(python.machine == "aarch64")
}

@Test func noInterpreterOrNoVersionIsAClearError() {
    #expect(throws: ImageError.pythonNotInBase(base: "oci:x:y")) {
        try BasePython.detect(
            nodes: ["app/cairn": .file], libcFiles: [:], env: ["PYTHON_VERSION=3.11"], architecture: "amd64",
            reference: "oci:x:y")
    }
    #expect(throws: ImageError.self) {
        try BasePython.detect(
            nodes: ["usr/bin/python3": .file], libcFiles: [:], env: [], architecture: "amd64", reference: "b")
    }
}

@Test func libcKindAndVersion() {
    #expect(BasePython.libc(nodes: ["lib/ld-musl-x86_64.so.1": .file], libcFiles: [:]) == .musl)
    #expect(
        BasePython.libc(nodes: ["lib/x86_64-linux-gnu/libc.so.6": .symlink("libc-2.31.so")], libcFiles: [:])
            == .glibc(minor: 31))
    let bytes = Array("\0GLIBC_2.2.5\0GLIBC_2.34\0GLIBC_PRIVATE\0GLIBC_2.36\0GLIBC_2.4\0".utf8)
    #expect(
        BasePython.libc(nodes: ["lib/x86_64-linux-gnu/libc.so.6": .file], libcFiles: ["lib/libc.so.6": bytes])
            == .glibc(minor: 36))
}

@Test func platformTagsCoverOlderManylinuxVersions() {
    let glibc = BasePython(
        interpreter: "/usr/bin/python3", version: "3.11", architecture: "amd64", libc: .glibc(minor: 28))
    #expect(glibc.platformTags.first == "manylinux_2_28_x86_64")
    #expect(glibc.platformTags.contains("manylinux_2_17_x86_64"))
    #expect(glibc.platformTags.contains("manylinux2014_x86_64"))
    #expect(glibc.platformTags.contains("manylinux1_x86_64"))
    #expect(!glibc.platformTags.contains("manylinux_2_29_x86_64"))
    let musl = BasePython(interpreter: "/usr/bin/python3", version: "3.12", architecture: "arm64", libc: .musl)
    #expect(musl.platformTags == ["musllinux_1_2_aarch64", "musllinux_1_1_aarch64"])
    #expect(musl.platformDescription == "cp3.12 musl aarch64")
}

@Test func detectionAppliesWhiteoutsAcrossLayers() throws {
    var lower = LayerBuilder()
    lower.addFile("usr/local/bin/python3", contents: [1], mode: 0o755)
    lower.addFile("usr/bin/python3", contents: [1], mode: 0o755)
    lower.addFile("usr/lib/python3.10/os.py", contents: [])
    lower.addFile("lib/x86_64-linux-gnu/libc.so.6", contents: Array("GLIBC_2.35\0".utf8))
    var upper = LayerBuilder()
    upper.addFile("usr/local/bin/.wh.python3", contents: [])
    upper.addFile("usr/lib/.wh.python3.10", contents: [])
    upper.addFile("usr/lib/python3.13/os.py", contents: [])
    let layers = try [lower, upper].map {
        try ImageLayer.gzip(tar: $0.tar(mtime: 0), history: .init(createdBy: "t", comment: "t"))
    }
    let base = BaseImage(
        layers: layers, config: ImageConfig(architecture: "amd64", created: ""), reference: "oci:b:t",
        digest: Digest(of: [1]))
    let python = try BasePython.detect(in: base)
    #expect(python.interpreter == "/usr/bin/python3")
    #expect(python.version == "3.13")
    #expect(python.libc == .glibc(minor: 35))
}

@Test func requirementsFromPythonEnvAndTheirDigest() {
    let yaml = """
        python: 3.11.7
        build_dependencies:
        - pip==23.2.1
        dependencies:
        - -r requirements.txt
        - "extra-package==1.0"
        """
    #expect(ModelRequirements.pipDependencies(yaml: yaml) == ["extra-package==1.0"])
    let a = ModelRequirements(folder: "/m", text: "# pinned\nscikit-learn==1.9.1\n\nnumpy==2.3  # fast\n", extra: [])
    let b = ModelRequirements(folder: "/m", text: "scikit-learn==1.9.1\nnumpy==2.3\n", extra: [])
    let c = ModelRequirements(folder: "/m", text: "scikit-learn==1.9.0\nnumpy==2.3\n", extra: [])
    #expect(a.normalizedLines == ["scikit-learn==1.9.1", "numpy==2.3"])
    #expect(a.digest == b.digest && a.digest != c.digest)
}

@Test func pipTargetsTheBaseAndNamesAMissingWheel() {
    let python = BasePython(
        interpreter: "/usr/bin/python3", version: "3.11", architecture: "amd64", libc: .glibc(minor: 36))
    let requirements = ModelRequirements(folder: "/m", text: "numpy\n", extra: ["-c /m/constraints.txt", "six"])
    let args = RequirementsInstaller.pipArguments(requirements, for: python, target: "/t")
    #expect(args.starts(with: ["pip", "install", "--target", "/t", "--only-binary=:all:", "--python-version", "3.11"]))
    #expect(args.contains("manylinux_2_36_x86_64") && args.contains("manylinux2014_x86_64"))
    #expect(args.suffix(5) == ["-r", "/m/requirements.txt", "-c", "/m/constraints.txt", "six"])
    let output = """
        Collecting numpy
        ERROR: Could not find a version that satisfies the requirement nowheel==0.1 (from versions: none)
        ERROR: No matching distribution found for nowheel==0.1
        """
    #expect(RequirementsInstaller.missingWheel(in: output) == "nowheel==0.1")
    #expect(RequirementsInstaller.missingWheel(in: "ERROR: something else") == nil)
    var other = python
    other.version = "3.12"
    #expect(
        RequirementsInstaller.cacheKey(requirements, for: python)
            != RequirementsInstaller.cacheKey(requirements, for: other))
    #expect(
        RequirementsInstaller.cacheKey(requirements, for: python)
            == RequirementsInstaller.cacheKey(requirements, for: python))
}

@Test func requirementsLayerGoesAboveTheBaseWithPythonPathAndLabels() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pylayer-\(UUID())").path
    try FileManager.default.createDirectory(atPath: folder + "/pkg", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    #expect(FileManager.default.createFile(atPath: folder + "/pkg/__init__.py", contents: Data("x = 1\n".utf8)))
    #expect(FileManager.default.createFile(atPath: folder + "/bin/tool", contents: Data("#!/host/python\n".utf8)))
    let layer = try RequirementsInstaller.layer(from: folder)
    #expect(layer.entries["opt/cairn/site-packages/pkg/__init__.py"] != nil)
    #expect(!layer.entries.keys.contains { $0.contains("/bin") })
    let model = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-pymodel-\(UUID())").path
    try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: model) }
    #expect(FileManager.default.createFile(atPath: model + "/MLmodel", contents: Data("flavors: {}\n".utf8)))
    var plan = try ImagePlan.model(
        cairn: folder + "/bin/tool", libraries: [], folder: model,
        lineage: ModelLineage(name: "m", version: "1", uri: "runs:/r/model", runtime: "python"), created: "",
        onBase: true)
    let python = BasePython(
        interpreter: "/usr/local/bin/python3", version: "3.11", architecture: "amd64", libc: .glibc(minor: 36))
    let requirements = ModelRequirements(folder: model, text: "numpy\n", extra: [])
    plan.addPythonPackages(layer, python: python, requirements: requirements, source: "runs:/r/model")
    #expect(plan.layers.count == 3)
    #expect(plan.layers[0].content.entries["opt/cairn/site-packages/pkg/__init__.py"] != nil)
    #expect(plan.env.contains("PYTHONPATH=/opt/cairn/site-packages"))
    #expect(plan.entrypoint.suffix(2) == ["--python", "/usr/local/bin/python3"])
    #expect(plan.labels[ImagePlan.PythonLabels.requirementsDigest] == requirements.digest.description)
    #expect(plan.labels[ImagePlan.PythonLabels.version] == "3.11")
}

@Test func aLayerThatIsNotGzipIsNamed() throws {
    var layer = try ImageLayer.gzip(tar: LayerBuilder().tar(mtime: 0), history: .init(createdBy: "t", comment: "t"))
    layer.blob = [1, 2, 3]
    let base = BaseImage(
        layers: [layer], config: ImageConfig(architecture: "amd64", created: ""), reference: "oci:b:t",
        digest: Digest(of: [1]))
    #expect(throws: ImageError.malformed("base layer \(layer.descriptor.digest) is not valid gzip")) {
        try BasePython.detect(in: base)
    }
    layer.descriptor.mediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
    let zstd = BaseImage(
        layers: [layer], config: ImageConfig(architecture: "amd64", created: ""), reference: "oci:b:t",
        digest: Digest(of: [1]))
    #expect(throws: ImageError.self) { try BasePython.detect(in: zstd) }
}
