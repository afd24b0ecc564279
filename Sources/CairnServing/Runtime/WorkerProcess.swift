import CairnCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One model worker process and the framed pipe protocol spoken with it: each message is a 4-byte
/// big-endian length and a JSON document. The worker writes its first message once the model is
/// loaded (or failed to load), then answers each request with one message.
///
/// Calls block the calling thread; callers run them on dedicated threads.
final class WorkerProcess: @unchecked Sendable {
    /// Why a call failed at the process level.
    enum Failure: Error, CustomStringConvertible {
        case exited(String)
        case timedOut
        case protocolError(String)

        var description: String {
            switch self {
            case .exited(let why): "the model worker exited (\(why))"
            case .timedOut: "the model worker did not answer in time"
            case .protocolError(let why): "the model worker sent a malformed message (\(why))"
            }
        }
    }

    private let process: Process
    private let toWorker: Int32
    private let fromWorker: Int32
    /// The worker's pid, for logs.
    var pid: Int32 { process.processIdentifier }

    /// Starts `executable arguments…` with the protocol on its stdin/stdout and its stderr inherited.
    init(executable: String, arguments: [String], environment: [String: String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        // Close-on-exec copies, so later workers do not inherit this one's pipe ends.
        toWorker = fcntl(input.fileHandleForWriting.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        fromWorker = fcntl(output.fileHandleForReading.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        try? input.fileHandleForWriting.close()
        try? input.fileHandleForReading.close()
        try? output.fileHandleForReading.close()
        try? output.fileHandleForWriting.close()
    }

    private var inputOpen = true

    deinit {
        closeInput()
        close(fromWorker)
    }

    private func closeInput() {
        if inputOpen { close(toWorker) }
        inputOpen = false
    }

    /// Waits for the worker's first message (the load result).
    func readHello(timeout: Duration) throws(Failure) -> JSONValue {
        try readMessage(deadline: ContinuousClock.now + timeout)
    }

    /// Sends one request and waits for its answer until `deadline`.
    /// Sends one request (a JSON message, and for column data a second, binary message) and waits for
    /// its answer until `deadline`.
    func call(_ payload: WorkerPayload, deadline: ContinuousClock.Instant) throws(Failure) -> JSONValue {
        var frame: [UInt8] = []
        frame.reserveCapacity(8 + payload.header.count + (payload.columns?.count ?? 0))
        Self.appendFrame(payload.header, to: &frame)
        if let columns = payload.columns { Self.appendFrame(columns, to: &frame) }
        try writeAll(frame)
        return try readMessage(deadline: deadline)
    }

    static func appendFrame(_ bytes: [UInt8], to frame: inout [UInt8]) {
        let n = UInt32(bytes.count)
        frame.append(contentsOf: [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)])
        frame.append(contentsOf: bytes)
    }

    /// Kills the worker at once (SIGKILL) and reaps it.
    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Asks the worker to exit by closing its input, then kills it if it lingers.
    func stop(grace: Duration = .seconds(5)) {
        closeInput()
        let until = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < until { usleep(10_000) }
        kill()
    }

    private var exitDescription: String {
        if process.isRunning { return "its output pipe closed" }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
    }

    private func writeAll(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buf in
                write(toWorker, buf.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .exited(exitDescription)
            }
            offset += written
        }
    }

    private func readMessage(deadline: ContinuousClock.Instant) throws(Failure) -> JSONValue {
        let header = try readExactly(4, deadline: deadline)
        let size = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard size <= 1 << 30 else { throw .protocolError("message of \(size) bytes") }
        let body = try readExactly(size, deadline: deadline)
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .protocolError("\(error)")
        }
    }

    private func readExactly(_ count: Int, deadline: ContinuousClock.Instant) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let remaining = deadline - ContinuousClock.now
            let ms = max(
                0,
                Int32(
                    clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds
                        / 1_000_000_000_000_000))
            var fds = pollfd(fd: fromWorker, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, ms)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .exited(exitDescription)
            }
            if ready == 0 { throw .timedOut }
            let got = out.withUnsafeMutableBytes { buf in
                read(fromWorker, buf.baseAddress! + filled, count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .exited(exitDescription)
            }
            if got == 0 { throw .exited(exitDescription) }
            filled += got
        }
        return out
    }
}
