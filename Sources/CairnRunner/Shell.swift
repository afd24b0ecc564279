import Foundation
import Synchronization

/// Runs short helper commands (git, pip) and captures their output.
public enum Shell {
    /// The result of a finished command.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: String

        /// Standard output as text, trailing newlines removed.
        public var text: String {
            var s = String(decoding: stdout, as: UTF8.self)
            while s.hasSuffix("\n") { s.removeLast() }
            return s
        }
    }

    /// Runs `arguments` (looked up on PATH) in `directory`; nil when the program cannot start.
    public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil)
        -> Output?
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        // Read both pipes concurrently so a full stderr buffer cannot block the child.
        let errData = LockedData()
        let errThread = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errThread.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

/// A value written once by another thread.
final class LockedData: Sendable {
    private let state = Mutex<(data: Data, finished: Bool)>((Data(), false))

    func set(_ d: Data) { state.withLock { $0 = (d, true) } }

    var done: Bool { state.withLock { $0.finished } }

    var value: Data { state.withLock { $0.data } }
}
