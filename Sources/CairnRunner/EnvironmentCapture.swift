import Foundation

/// The machine and interpreter a run executed on.
public struct EnvironmentCapture: Sendable {
    public var os: String
    public var cpu: String
    public var pythonExecutable: String?
    public var pythonVersion: String?
    /// `pip freeze` of the interpreter that runs the command.
    public var pipFreeze: String?
    /// `pip --version`'s version number.
    public var pipVersion: String?
    /// The interpreter's platform tag (`linux-x86_64`).
    public var platform: String?

    /// Captures the environment; Python details only when `command` looks like a Python program.
    public static func capture(
        command: [String], directory: String, environment: [String: String], python: String? = nil
    ) -> EnvironmentCapture {
        var uts = utsname()
        uname(&uts)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let os = "\(field(uts.sysname)) \(field(uts.release)) \(field(uts.machine))"
        var cpu = "\(ProcessInfo.processInfo.activeProcessorCount) cores"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
            let name = line.split(separator: ":", maxSplits: 1).last
        {
            cpu = name.trimmingCharacters(in: .whitespaces) + ", " + cpu
        }
        var result = EnvironmentCapture(os: os, cpu: cpu)
        guard let python = python ?? pythonInterpreter(for: command, directory: directory) else { return result }
        result.pythonExecutable = python
        if let v = Shell.run(
            [python, "-c", "import sys, sysconfig; print(sys.version.split()[0]); print(sysconfig.get_platform())"],
            in: directory, environment: environment),
            v.status == 0
        {
            let lines = v.text.split(separator: "\n").map(String.init)
            result.pythonVersion = lines.first
            result.platform = lines.count > 1 ? lines[1] : nil
        }
        if let pip = Shell.run([python, "-m", "pip", "--version"], in: directory, environment: environment),
            pip.status == 0
        {
            result.pipVersion = pip.text.split(separator: " ").dropFirst().first.map(String.init)
        }
        if let freeze = Shell.run([python, "-m", "pip", "freeze"], in: directory, environment: environment),
            freeze.status == 0
        {
            result.pipFreeze = freeze.text + "\n"
        }
        return result
    }

    /// The files that pin a Python project's packages, found in `directory`.
    public static func projectFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            (name.hasPrefix("requirements") && name.hasSuffix(".txt"))
                || ["pyproject.toml", "uv.lock", "poetry.lock", "Pipfile", "Pipfile.lock", "setup.cfg"].contains(name)
        }.sorted()
    }

    /// The interpreter that will run `command`, when it is a Python program.
    public static func pythonInterpreter(for command: [String], directory: String) -> String? {
        guard let first = command.first else { return nil }
        let name = (first as NSString).lastPathComponent
        if name.hasPrefix("python") { return first }
        if command.contains(where: { $0.hasSuffix(".py") }) || name.hasSuffix(".py")
            || FileManager.default.fileExists(atPath: directory + "/requirements.txt")
            || FileManager.default.fileExists(atPath: directory + "/pyproject.toml")
        {
            return "python3"
        }
        return nil
    }
}
