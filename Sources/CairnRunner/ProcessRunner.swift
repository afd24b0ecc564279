import Dispatch
import Foundation

/// How a supervised child process ended.
public struct ProcessOutcome: Sendable {
    /// Exit code, or the signal number when `signaled`.
    public var code: Int32
    /// Whether the child died from a signal.
    public var signaled: Bool
    /// Whether the user interrupted (SIGINT/SIGTERM to this process) while it ran.
    public var interrupted: Bool
    /// Wall time in seconds.
    public var seconds: Double
}

/// Why a command cannot be launched, found before any run is created.
public enum LaunchCheck {
    /// Nil when `command` can start in `directory`: its program is found on `PATH` (or at the
    /// given path) and is executable; else a message naming the program.
    public static func problem(
        with command: [String], in directory: String, environment: [String: String]
    ) -> String? {
        guard let program = command.first, !program.isEmpty else { return "No command to run." }
        if resolve(program, in: directory, environment: environment) != nil { return nil }
        guard program.contains("/") else { return "Cannot run '\(program)': command not found on PATH." }
        let path = program.hasPrefix("/") ? program : directory + "/" + program
        return FileManager.default.fileExists(atPath: path)
            ? "Cannot run '\(program)': it is not executable." : "Cannot run '\(program)': no such file."
    }

    /// The executable file `program` names: itself when it contains a slash (relative to
    /// `directory`), else the first match on `PATH`; nil when there is none.
    public static func resolve(_ program: String, in directory: String, environment: [String: String]) -> String? {
        let fm = FileManager.default
        func executable(_ path: String) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
                && fm.isExecutableFile(atPath: path)
        }
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : directory + "/" + program
            return executable(path) ? path : nil
        }
        for folder in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let base = folder.hasPrefix("/") ? String(folder) : directory + "/" + folder
            if executable(base + "/" + program) { return base + "/" + program }
        }
        return nil
    }
}

/// Runs a child process with its output streamed live and copied to files, forwarding
/// SIGINT and SIGTERM received by this process to every running child.
public enum ProcessRunner {
    /// Runs `command` (resolved on PATH) in `directory` with `environment`, teeing stdout and
    /// stderr to `stdoutFile`/`stderrFile` and, when `echo`, to this process's own streams.
    public static func run(
        _ command: [String], in directory: String, environment: [String: String], stdoutFile: String,
        stderrFile: String, echo: Bool
    ) async throws -> ProcessOutcome {
        guard !command.isEmpty else { throw RunnerError("No command to run.") }
        FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        FileManager.default.createFile(atPath: stderrFile, contents: nil)
        guard let outFile = FileHandle(forWritingAtPath: stdoutFile),
            let errFile = FileHandle(forWritingAtPath: stderrFile)
        else { throw RunnerError("Cannot write the log files of the run.") }
        defer {
            try? outFile.close()
            try? errFile.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let outTee = Tee(file: outFile, terminal: echo ? FileHandle.standardOutput : nil)
        let errTee = Tee(file: errFile, terminal: echo ? FileHandle.standardError : nil)
        outPipe.fileHandleForReading.readabilityHandler = { outTee.write($0.availableData) }
        errPipe.fileHandleForReading.readabilityHandler = { errTee.write($0.availableData) }

        let start = Date()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
                SignalForwarder.shared.add(process)
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: RunnerError("Could not start '\(command[0])': \(error)"))
            }
        }
        SignalForwarder.shared.remove(process)
        outPipe.fileHandleForReading.readabilityHandler = nil
        errPipe.fileHandleForReading.readabilityHandler = nil
        outTee.write(outPipe.fileHandleForReading.readDataToEndOfFile())
        errTee.write(errPipe.fileHandleForReading.readDataToEndOfFile())
        return ProcessOutcome(
            code: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            interrupted: SignalForwarder.shared.wasInterrupted, seconds: Date().timeIntervalSince(start))
    }
}

/// Copies output to a file and optionally to the terminal, serialising writes.
final class Tee: @unchecked Sendable {
    private let lock = NSLock()
    private let file: FileHandle
    private let terminal: FileHandle?

    init(file: FileHandle, terminal: FileHandle?) {
        self.file = file
        self.terminal = terminal
    }

    func write(_ data: Data) {
        guard !data.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        file.write(data)
        terminal?.write(data)
    }
}

/// Forwards SIGINT/SIGTERM to running children instead of dying first.
public final class SignalForwarder: @unchecked Sendable {
    /// The process-wide forwarder.
    public static let shared = SignalForwarder()

    private let lock = NSLock()
    private var children: [ObjectIdentifier: Process] = [:]
    private var sources: [DispatchSourceSignal] = []
    private var interrupted = false

    private init() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.forward(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a signal arrived since start.
    public var wasInterrupted: Bool {
        lock.lock()
        defer { lock.unlock() }
        return interrupted
    }

    func add(_ p: Process) {
        lock.lock()
        children[ObjectIdentifier(p)] = p
        lock.unlock()
    }

    func remove(_ p: Process) {
        lock.lock()
        children[ObjectIdentifier(p)] = nil
        lock.unlock()
    }

    private func forward(_ sig: Int32) {
        lock.lock()
        interrupted = true
        let running = Array(children.values)
        lock.unlock()
        for p in running where p.isRunning { kill(p.processIdentifier, sig) }
    }
}
