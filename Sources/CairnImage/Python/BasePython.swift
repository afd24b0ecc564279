/// The Python interpreter a base image carries and the platform its wheels must be built for, read from the base's
/// config and layers without running anything in it.
///
/// ```swift
/// let python = try BasePython.detect(in: base)
/// // python.interpreter → /usr/local/bin/python3, python.version → 3.11
/// // python.platformTags → [manylinux_2_36_x86_64, …, manylinux2014_x86_64, …]
/// ```
public struct BasePython: Sendable, Equatable {
    /// The C library of the base, which decides which wheels load in it.
    public enum Libc: Sendable, Equatable {
        /// GNU libc 2.`minor`.
        case glibc(minor: Int)
        /// musl libc.
        case musl
    }

    /// One path of the base's merged filesystem.
    public enum Node: Sendable, Equatable {
        /// A regular file.
        case file
        /// A directory.
        case directory
        /// A symbolic link to the target.
        case symlink(String)
    }

    /// The interpreter's absolute path (`/usr/local/bin/python3`).
    public var interpreter: String
    /// `MAJOR.MINOR` (`3.11`).
    public var version: String
    /// The OCI architecture (`amd64`, `arm64`).
    public var architecture: String
    /// The C library.
    public var libc: Libc

    /// The glibc minor version assumed when the base's libc cannot be read.
    public static let assumedGlibcMinor = 28

    /// Creates the facts.
    public init(interpreter: String, version: String, architecture: String, libc: Libc) {
        self.interpreter = interpreter
        self.version = version
        self.architecture = architecture
        self.libc = libc
    }

    /// The machine name wheels use (`x86_64`, `aarch64`).
    public var machine: String {
        switch architecture {
        case "amd64": "x86_64"
        case "arm64": "aarch64"
        case "386": "i686"
        case "ppc64le": "ppc64le"
        case "s390x": "s390x"
        default: architecture
        }
    }

    /// pip `--platform` tags for wheels that load on the base, newest first.
    public var platformTags: [String] {
        switch libc {
        case .musl:
            return ["musllinux_1_2_\(machine)", "musllinux_1_1_\(machine)"]
        case .glibc(let minor):
            var tags = stride(from: minor, through: 17, by: -1).map { "manylinux_2_\($0)_\(machine)" }
            if minor >= 17 { tags.append("manylinux2014_\(machine)") }
            if ["x86_64", "i686"].contains(machine) {
                if minor >= 12 { tags.append("manylinux2010_\(machine)") }
                if minor >= 5 { tags.append("manylinux1_\(machine)") }
            }
            return tags
        }
    }

    /// A short name of the target platform (`cp3.11 glibc 2.36 x86_64`).
    public var platformDescription: String {
        switch libc {
        case .musl: "cp\(version) musl \(machine)"
        case .glibc(let minor): "cp\(version) glibc 2.\(minor) \(machine)"
        }
    }

    /// Reads the base's layers (whiteouts applied) and environment.
    public static func detect(in base: BaseImage) throws -> BasePython {
        var nodes: [String: Node] = [:]
        var libcFiles: [String: [UInt8]] = [:]
        for layer in base.layers {
            let tar: [UInt8]
            if layer.descriptor.mediaType.hasSuffix("gzip") {
                do { tar = try Gzip.decompress(layer.blob) } catch {
                    throw ImageError.malformed("base layer \(layer.descriptor.digest) is not valid gzip")
                }
            } else if layer.descriptor.mediaType.hasSuffix(".tar") {
                tar = layer.blob
            } else {
                throw ImageError.invalid(
                    "The base's layer \(layer.descriptor.digest) is \(layer.descriptor.mediaType), which Cairn cannot "
                        + "read to find its Python (tar or tar+gzip layers only); pass --no-install-requirements to "
                        + "use the base as it is.")
            }
            let entries = try TarReader.entries(tar)
            for entry in entries {
                let name = entry.path.split(separator: "/").last.map(String.init) ?? ""
                guard name.hasPrefix(".wh.") else { continue }
                let parent = String(entry.path.dropLast(name.count)).split(separator: "/").joined(separator: "/")
                let removed = name == ".wh..wh..opq" ? parent : (parent.isEmpty ? "" : parent + "/") + name.dropFirst(4)
                for key in nodes.keys where key.hasPrefix(removed + "/") || (name != ".wh..wh..opq" && key == removed) {
                    nodes[key] = nil
                    libcFiles[key] = nil
                }
            }
            for entry in entries where !entry.path.isEmpty {
                let name = entry.path.split(separator: "/").last.map(String.init) ?? ""
                if name.hasPrefix(".wh.") { continue }
                if entry.isSymlink {
                    nodes[entry.path] = .symlink(entry.linkTarget)
                } else if entry.isDirectory {
                    nodes[entry.path] = .directory
                } else {
                    nodes[entry.path] = .file
                    if name == "libc.so.6" { libcFiles[entry.path] = Array(tar[entry.data]) }
                }
            }
        }
        return try detect(
            nodes: nodes, libcFiles: libcFiles, env: base.config.env, architecture: base.config.architecture,
            reference: base.reference)
    }

    /// The interpreter, version and platform from a merged filesystem view (`path` → kind, paths relative to `/`),
    /// the bytes of any `libc.so.6` files in it, and the config's `Env`.
    public static func detect(
        nodes: [String: Node], libcFiles: [String: [UInt8]], env: [String], architecture: String, reference: String
    ) throws(ImageError) -> BasePython {
        var version: String?
        if let entry = env.first(where: { $0.hasPrefix("PYTHON_VERSION=") }) {
            let parts = entry.dropFirst("PYTHON_VERSION=".count).split(separator: ".")
            if parts.count >= 2, Int(parts[0]) != nil, let minor = Int(parts[1].prefix { $0.isNumber }) {
                version = "\(parts[0]).\(minor)"
            }
        }
        if version == nil {
            for folder in ["usr/local/lib/", "usr/lib/"] {
                let minors = nodes.keys.compactMap { path -> Int? in
                    guard path.hasPrefix(folder + "python3."), path.hasSuffix("/os.py") else { return nil }
                    let middle = path.dropFirst(folder.count + "python3.".count).dropLast("/os.py".count)
                    return Int(middle)
                }
                if let minor = minors.max() {
                    version = "3.\(minor)"
                    break
                }
            }
        }
        let names = ["python3"] + (version.map { ["python\($0)"] } ?? [])
        let candidates = ["usr/local/bin/", "usr/bin/"].flatMap { folder in names.map { folder + $0 } }
        guard let interpreter = candidates.first(where: { nodes[$0] == .file || isLink(nodes[$0]) }) else {
            throw .pythonNotInBase(base: reference)
        }
        guard let version else {
            throw .invalid(
                "The base \(reference) has /\(interpreter) but its Python version cannot be told: set PYTHON_VERSION "
                    + "in the base's Env, or pass --no-install-requirements to use the base as it is.")
        }
        return BasePython(
            interpreter: "/" + interpreter, version: version, architecture: architecture,
            libc: libc(nodes: nodes, libcFiles: libcFiles))
    }

    static func isLink(_ node: Node?) -> Bool {
        if case .symlink? = node { return true }
        return false
    }

    /// musl when a `ld-musl-*` loader is present; else glibc, its version read from `libc.so.6` (a
    /// `libc-2.N.so` link target, or the highest `GLIBC_2.N` version the file defines).
    static func libc(nodes: [String: Node], libcFiles: [String: [UInt8]]) -> Libc {
        if nodes.keys.contains(where: { $0.split(separator: "/").last?.hasPrefix("ld-musl-") ?? false }) {
            return .musl
        }
        for (path, node) in nodes where path.hasSuffix("/libc.so.6") {
            if case .symlink(let target) = node, let minor = glibcMinor(fileName: target) {
                return .glibc(minor: minor)
            }
        }
        let found = libcFiles.values.compactMap(highestGlibcVersion).max()
        return .glibc(minor: found ?? assumedGlibcMinor)
    }

    /// `31` for `libc-2.31.so` (or a path ending in it).
    static func glibcMinor(fileName: String) -> Int? {
        let name = fileName.split(separator: "/").last ?? ""
        guard name.hasPrefix("libc-2."), name.hasSuffix(".so") else { return nil }
        return Int(name.dropFirst("libc-2.".count).dropLast(".so".count))
    }

    /// The highest `N` of the `GLIBC_2.N` version names in a libc binary.
    static func highestGlibcVersion(_ bytes: [UInt8]) -> Int? {
        let marker = Array("GLIBC_2.".utf8)
        var best: Int?
        var i = 0
        while i + marker.count < bytes.count {
            if bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) {
                var j = i + marker.count
                var value = 0
                while j < bytes.count, j - i - marker.count < 3, (48...57).contains(bytes[j]) {
                    value = value * 10 + Int(bytes[j] - 48)
                    j += 1
                }
                if j > i + marker.count { best = max(best ?? 0, value) }
                i = j
            } else {
                i += 1
            }
        }
        return best
    }
}
