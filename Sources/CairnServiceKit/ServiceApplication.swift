import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds a service's application from its router and configuration: the same listener settings
/// (timeouts, connection cap), the same start-up callback and graceful shutdown on SIGINT/SIGTERM
/// for every Cairn service.
///
/// ```swift
/// let app = makeServiceApplication(
///     router: router, configuration: .init(port: 8080), serverName: "cairn-serve", logger: logger,
///     onServerRunning: { port in logger.info("listening on \(port)") })
/// try await runService(app, port: 8080, logger: logger)
/// ```
public func makeServiceApplication<Router: HTTPResponderBuilder>(
    router: Router, configuration: ServiceConfiguration, serverName: String,
    errorShape: @escaping ServiceErrorMiddleware<BasicRequestContext>.Fallback = { PlainError($0, $1) },
    services: [any Service] = [], logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> Application<Router.Responder> where Router.Responder.Context: RequestContext {
    Application(
        router: router, server: configuration.server(errorShape: errorShape),
        configuration: configuration.applicationConfiguration(serverName: serverName), services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// A service that could not start, with a message that says what to do.
public struct ServiceStartError: Error, CustomStringConvertible {
    public var description: String
}

/// Runs an application until SIGINT/SIGTERM, turning a bind failure into one clear line.
public func runService(_ app: some ApplicationProtocol, host: String, port: Int) async throws {
    do {
        try await app.runService()
    } catch let error as IOError where error.errnoCode == EADDRINUSE {
        throw ServiceStartError(
            description: "Port \(port) on \(host) is already in use; stop the other process or pass --port.")
    } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
        throw ServiceStartError(description: "Cannot listen on \(host): no such local address.")
    } catch let error as IOError where error.errnoCode == EACCES {
        throw ServiceStartError(
            description: "Not allowed to listen on port \(port) (ports below 1024 need privileges); pass --port.")
    }
}

extension ServiceConfiguration {
    /// Fails early, before slow start-up work (opening stores, loading models), when another process
    /// already listens on the port, so a failed start leaves nothing behind. The real bind still
    /// reports anything this misses.
    public func checkPortIsFree() throws {
        guard port != 0 else { return }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return }
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
                if bound != 0 && failure == EADDRINUSE {
                    throw ServiceStartError(
                        description: "Port \(port) on \(host) is already in use; stop the other process or pass --port."
                    )
                }
            }
            entry = info.pointee.ai_next
        }
    }
}
