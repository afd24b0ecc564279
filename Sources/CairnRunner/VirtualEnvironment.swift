import Crypto
import Foundation

/// A Python virtual environment built once from a set of requirements and cached by their hash,
/// so a second use starts at once. Used to re-run a recorded run with its own packages and to run a
/// served model with the packages it was logged with.
///
/// ```swift
/// let env = try VirtualEnvironment.prepare(
///     base: "python3", requirements: "numpy==2.4.6\n", cacheFolder: "~/.cache/cairn/envs", log: { print($0) })
/// env.python   // …/envs/3f2a…/bin/python
/// ```
public struct VirtualEnvironment: Sendable {
    /// The environment's folder.
    public let path: String
    /// Whether it was built now (false: reused from the cache).
    public let built: Bool
    /// Requirements pip could not install as recorded, with why.
    public let skipped: [(requirement: String, reason: String)]

    /// The environment's interpreter.
    public var python: String { path + "/bin/python" }
    /// Its `bin` folder, to put first on `PATH`.
    public var bin: String { path + "/bin" }

    /// Why an environment could not be built.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The cache key of a set of requirements for a base interpreter.
    public static func key(requirements: String, extra: [String]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(requirements.utf8))
        for e in extra { hasher.update(data: Data(("\u{1F}" + e).utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined().prefix(20).description
    }

    /// Builds (or reuses) the environment for `requirements` (`pip install -r` lines) with `base`.
    /// `individually` installs the lines one by one when the whole set fails, and reports the ones
    /// that cannot be installed instead of failing; otherwise a failure stops the build.
    public static func prepare(
        base: String, requirements: String, cacheFolder: String, keyExtra: [String] = [], findLinks: [String] = [],
        noDependencies: Bool = false, individually: Bool = false, log: (String) -> Void
    ) throws -> VirtualEnvironment {
        let key = key(requirements: requirements, extra: [base] + keyExtra + findLinks)
        let path = cacheFolder + "/" + key
        let marker = path + "/.cairn-complete"
        if FileManager.default.fileExists(atPath: marker) {
            let skipped = (try? String(contentsOfFile: marker, encoding: .utf8)).map(Self.readSkipped) ?? []
            return VirtualEnvironment(path: path, built: false, skipped: skipped)
        }
        try FileManager.default.createDirectory(atPath: cacheFolder, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: path)
        log("Creating a virtual environment in \(path)")
        try check(Shell.run([base, "-m", "venv", path]), "\(base) -m venv")
        let file = path + "/cairn-requirements.txt"
        try Data(requirements.utf8).write(to: URL(fileURLWithPath: file))
        var pip = [path + "/bin/python", "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
        if noDependencies { pip.append("--no-deps") }
        for f in findLinks { pip += ["--find-links", f] }
        log("Installing \(requirements.split(whereSeparator: \.isNewline).count) requirements")
        var skipped: [(String, String)] = []
        let all = Shell.run(pip + ["-r", file])
        if all?.status != 0 {
            guard individually else {
                try? FileManager.default.removeItem(atPath: path)
                throw Failure(description: "pip could not install the requirements: \(Self.lastLine(all?.stderr))")
            }
            for line in requirements.split(whereSeparator: \.isNewline).map(String.init) where !line.isEmpty {
                let one = Shell.run(pip + [line])
                if one?.status != 0 { skipped.append((line, Self.lastLine(one?.stderr))) }
            }
        }
        let record = skipped.map { "\($0.0)\t\($0.1)" }.joined(separator: "\n")
        FileManager.default.createFile(atPath: marker, contents: Data(record.utf8))
        return VirtualEnvironment(path: path, built: true, skipped: skipped)
    }

    static func check(_ output: Shell.Output?, _ what: String) throws {
        guard let output else { throw Failure(description: "\(what) could not start.") }
        guard output.status == 0 else {
            throw Failure(description: "\(what) failed: \(lastLine(output.stderr))")
        }
    }

    static func lastLine(_ text: String?) -> String {
        let lines = (text ?? "").split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        return lines.last(where: { $0.hasPrefix("ERROR") }) ?? lines.last ?? "no output"
    }

    static func readSkipped(_ text: String) -> [(requirement: String, reason: String)] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
    }
}
