import Foundation

/// The machine and interpreter a run executed on.
public struct EnvironmentCapture: Sendable {
    public var os: String
    public var cpu: String
    public var pythonExecutable: String?
    public var pythonVersion: String?
    /// `pip freeze` of the interpreter that runs the command.
    public var pipFreeze: String?

    /// Captures the environment; Python details only when `command` looks like a Python program.
    public static func capture(command: [String], directory: String, environment: [String: String])
        -> EnvironmentCapture
    {
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
        guard let python = pythonInterpreter(for: command, directory: directory) else { return result }
        result.pythonExecutable = python
        if let v = Shell.run(
            [python, "-c", "import sys; print(sys.version.split()[0])"], in: directory, environment: environment),
            v.status == 0
        {
            result.pythonVersion = v.text
        }
        if let freeze = Shell.run([python, "-m", "pip", "freeze"], in: directory, environment: environment),
            freeze.status == 0
        {
            result.pipFreeze = freeze.text + "\n"
        }
        return result
    }

    /// The interpreter that will run `command`, when it is a Python program.
    static func pythonInterpreter(for command: [String], directory: String) -> String? {
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
