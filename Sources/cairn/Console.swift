import Foundation

/// Standard output and error for commands. `Cairn.main` ignores SIGPIPE, so when the reader goes
/// away (`cairn … | head -1`) a write fails with EPIPE and is dropped here instead of killing or
/// crashing the command, which still finishes its files and exits with its own status.
enum Console {
    /// Writes `text` to standard output now (lines appear as they happen, also in a pipe).
    static func out(_ text: String) { write(Array(text.utf8), to: STDOUT_FILENO) }

    /// Writes raw bytes to standard output now.
    static func out(bytes: [UInt8]) { write(bytes, to: STDOUT_FILENO) }

    /// Writes `text` to standard error.
    static func err(_ text: String) { write(Array(text.utf8), to: STDERR_FILENO) }

    /// Writes everything, after what `print` buffered, so the order holds; stops at the first error.
    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        fflush(nil)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
