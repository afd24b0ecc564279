import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a TCP port can be listened on, checked before the server creates its database and
/// artifact folder, so a failed start leaves nothing behind.
enum PortCheck {
    /// True when another process already listens on `host:port` (a bind fails with `EADDRINUSE`).
    static func isInUse(host: String, port: Int) -> Bool {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return false }
        defer { freeaddrinfo(found) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                var yes: Int32 = 1
                _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
                let bound = bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
                let failure = errno
                close(fd)
                if bound != 0 && failure == EADDRINUSE { return true }
            }
            entry = info.pointee.ai_next
        }
        return false
    }
}
