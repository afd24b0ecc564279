import Foundation
import Logging
import Synchronization

/// The tokens a running service accepts: a ``TokenFile`` that is read again when it changes, so
/// tokens rotate without a restart.
///
/// At most every `checkInterval` a request looks at the file's modification time, size, inode and
/// mode; when one of them changed the file is read again. A file that became missing, unreadable,
/// empty, readable by every user or malformed keeps the tokens read before, and a warning is
/// logged once per problem.
///
/// ```swift
/// let tokens = try AccessTokens(path: "/var/run/cairn/tokens", logger: logger)
/// tokens.accepts(Array(presented.utf8))
/// ```
public final class AccessTokens: Sendable {
    /// The token file.
    public let path: String
    let checkInterval: Duration
    let logger: Logger
    private let state: Mutex<State>

    struct State {
        var file: TokenFile
        var stamp: FileStamp?
        var nextCheck: ContinuousClock.Instant
        var lastWarning: String?
    }

    /// Reads the file once; fails with the reason when it cannot be used.
    public init(path: String, checkInterval: Duration = .seconds(2), logger: Logger) throws(TokenFileError) {
        self.path = path
        self.checkInterval = checkInterval
        self.logger = logger
        let stamp = FileStamp(path: path)
        let file = try TokenFile.load(path: path)
        state = Mutex(State(file: file, stamp: stamp, nextCheck: .now + checkInterval, lastWarning: nil))
    }

    /// Number of tokens accepted now.
    public var count: Int { state.withLock { $0.file.count } }

    /// Whether `token` is accepted (after reading the file again if it is due and changed).
    public func accepts(_ token: some Collection<UInt8>) -> Bool {
        refreshIfDue()
        return state.withLock { $0.file }.accepts(token)
    }

    /// Reads the file again when the check is due and the file changed. One caller does the check;
    /// the others go on with the tokens they have.
    func refreshIfDue(now: ContinuousClock.Instant = .now) {
        let due = state.withLock { s -> Bool in
            guard now >= s.nextCheck else { return false }
            s.nextCheck = now + checkInterval
            return true
        }
        guard due else { return }
        let stamp = FileStamp(path: path)
        guard stamp != state.withLock({ $0.stamp }) else { return }
        do throws(TokenFileError) {
            let file = try TokenFile.load(path: path)
            state.withLock {
                $0.file = file
                $0.stamp = stamp
                $0.lastWarning = nil
            }
            logger.notice("Token file \(path) changed: \(file.count) token(s) accepted now")
        } catch {
            let (warn, kept) = state.withLock { s -> (Bool, Int) in
                s.stamp = stamp
                defer { s.lastWarning = error.message }
                return (s.lastWarning != error.message, s.file.count)
            }
            if warn { logger.warning("\(error.message); still accepting the \(kept) token(s) read before") }
        }
    }
}

/// What tells a changed file apart: modification time, size, inode, device and mode (the file a
/// symbolic link points at, as Kubernetes Secret volumes swap a link on update).
struct FileStamp: Equatable, Sendable {
    var seconds: Int
    var nanoseconds: Int
    var size: Int64
    var inode: UInt64
    var device: UInt64
    var mode: UInt32

    /// The stamp of `path`, nil when it cannot be read.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
        #else
            let modified = info.st_mtim
        #endif
        seconds = Int(modified.tv_sec)
        nanoseconds = Int(modified.tv_nsec)
        size = Int64(info.st_size)
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
        mode = UInt32(info.st_mode)
    }
}
