import Foundation

/// Installs a model's requirements for a base image's Python with the host's pip, which downloads wheels for the
/// base's platform (`--platform`, `--python-version`, `--only-binary=:all:`) into a folder that becomes an image
/// layer; nothing runs inside the base. Installs are cached by (requirements digest, Python version, platform).
///
/// ```swift
/// let installer = RequirementsInstaller(hostPython: "python3", cache: ModelFetcher.defaultCache)
/// let installed = try installer.install(requirements, for: python) { print($0) }
/// let layer = try RequirementsInstaller.layer(from: installed.folder)   // files under /opt/cairn/site-packages
/// ```
public struct RequirementsInstaller: Sendable {
    /// Where the packages go inside the image (relative to `/`); `PYTHONPATH` points there.
    public static let sitePackages = "opt/cairn/site-packages"
    /// The marker of a finished install in the cache.
    static let completeMarker = ".cairn-complete"

    /// An installed set of packages on the host.
    public struct Installed: Sendable {
        /// The folder holding them.
        public var folder: String
        /// Whether it came from the cache.
        public var reused: Bool
    }

    /// The host interpreter whose pip runs (a bare name is looked up on PATH).
    public var hostPython: String
    /// The cache folder (installs go to `python-packages/` under it).
    public var cache: String

    /// Creates an installer.
    public init(hostPython: String, cache: String) {
        self.hostPython = hostPython
        self.cache = cache
    }

    /// The cache folder name for these requirements on this Python.
    public static func cacheKey(_ requirements: ModelRequirements, for python: BasePython) -> String {
        let key = [
            "cairn-python-packages-1", requirements.digest.description, "cp" + python.version,
            python.platformTags.joined(separator: ","),
        ].joined(separator: "\n")
        return String(Digest(of: Array(key.utf8)).hex.prefix(32))
    }

    /// The arguments after `python -m`: pip installs the requirements for `python` into `target`.
    public static func pipArguments(_ requirements: ModelRequirements, for python: BasePython, target: String)
        -> [String]
    {
        var args = [
            "pip", "install", "--target", target, "--only-binary=:all:", "--python-version", python.version,
            "--implementation", "cp", "--no-compile", "--no-warn-script-location", "--disable-pip-version-check",
            "--no-input", "--progress-bar", "off",
        ]
        for tag in python.platformTags { args += ["--platform", tag] }
        args += ["-r", requirements.folder + "/requirements.txt"]
        for item in requirements.extra {
            if item.hasPrefix("-"), let space = item.firstIndex(of: " ") {
                args += [String(item[..<space]), item[space...].trimmingCharacters(in: .whitespaces)]
            } else {
                args.append(item)
            }
        }
        return args
    }

    /// The requirement pip found no installable wheel for, from its output.
    public static func missingWheel(in output: String) -> String? {
        for marker in [
            "No matching distribution found for ", "Could not find a version that satisfies the requirement ",
        ] {
            for line in output.split(whereSeparator: \.isNewline) {
                guard let range = line.range(of: marker) else { continue }
                let rest = line[range.upperBound...]
                let requirement = rest.split(separator: " (", maxSplits: 1).first ?? rest
                return requirement.trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Whether a pip output line is worth showing as progress.
    static func isProgress(_ line: String) -> Bool {
        ["Collecting ", "Downloading ", "Using cached ", "Installing collected packages", "Successfully installed"]
            .contains { line.hasPrefix($0) }
    }

    /// Installs (or reuses) the packages; `progress` hears pip's collecting and downloading lines.
    public func install(
        _ requirements: ModelRequirements, for python: BasePython, progress: (String) -> Void
    ) throws -> Installed {
        let root = cache + "/python-packages"
        let key = Self.cacheKey(requirements, for: python)
        let folder = root + "/" + key
        let fm = FileManager.default
        if fm.fileExists(atPath: folder + "/" + Self.completeMarker) {
            return Installed(folder: folder, reused: true)
        }
        let staging = root + "/.partial-\(key)-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: staging)
        do { try fm.createDirectory(atPath: staging, withIntermediateDirectories: true) } catch {
            throw ImageError.unwritable(staging)
        }
        defer { try? fm.removeItem(atPath: staging) }
        let (code, output) = try runPip(Self.pipArguments(requirements, for: python, target: staging), progress)
        guard code == 0 else {
            if let requirement = Self.missingWheel(in: output) {
                throw ImageError.noWheel(requirement: requirement, target: python.platformDescription)
            }
            let tail = output.split(whereSeparator: \.isNewline).suffix(5).joined(separator: " | ")
            throw ImageError.invalid("pip could not install the model's requirements (exit \(code)): \(tail)")
        }
        guard fm.createFile(atPath: staging + "/" + Self.completeMarker, contents: Data()) else {
            throw ImageError.unwritable(staging)
        }
        try? fm.removeItem(atPath: folder)
        do { try fm.moveItem(atPath: staging, toPath: folder) } catch { throw ImageError.unwritable(folder) }
        return Installed(folder: folder, reused: false)
    }

    /// Runs `hostPython -m ARGS` with stdout and stderr together, passing progress lines on; returns the exit
    /// code and the whole output.
    func runPip(_ arguments: [String], _ progress: (String) -> Void) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hostPython.contains("/") ? hostPython : "/usr/bin/env")
        process.arguments = (hostPython.contains("/") ? [] : [hostPython]) + ["-m"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ImageError.invalid(
                "Cannot run the host Python '\(hostPython)' for pip: \(error.localizedDescription)")
        }
        var output = ""
        var pending: [UInt8] = []
        while true {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending += chunk
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                output += line + "\n"
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if Self.isProgress(trimmed) { progress("pip: " + trimmed) }
            }
        }
        output += String(decoding: pending, as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// The layer holding an install under ``sitePackages`` (console scripts in `bin/`, which name the host's
    /// interpreter, are left out).
    public static func layer(from folder: String) throws -> LayerBuilder {
        var layer = LayerBuilder()
        try layer.copyTree(from: folder, to: sitePackages) {
            $0 == completeMarker || $0 == "bin" || $0.hasPrefix("bin/")
        }
        return layer
    }
}
