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
    router: Router, configuration: ServiceConfiguration, serverName: String, services: [any Service] = [],
    logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> Application<Router.Responder> where Router.Responder.Context: RequestContext {
    Application(
        router: router, server: configuration.server,
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
    /// Fails early, before slow start-up work, when the port is already taken. Only numeric IPv4
    /// hosts and `localhost` are checked; the real bind still reports anything this misses.
    public func checkPortIsFree() throws {
        guard port != 0 else { return }
        let address = host == "localhost" ? "127.0.0.1" : host
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else { return }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 && errno == EADDRINUSE {
            throw ServiceStartError(
                description: "Port \(port) on \(host) is already in use; stop the other process or pass --port.")
        }
    }
}
