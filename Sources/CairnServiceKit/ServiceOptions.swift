import ArgumentParser
import Logging

/// The defaults one service gives its shared options.
public protocol ServiceDefaults {
    /// Default TCP port.
    static var port: Int { get }
}

/// The defaults of a service that takes request bodies up to a limit.
public protocol BodyLimitDefaults {
    /// Default body limit in MiB.
    static var maxBodyMB: Int { get }
}

/// Options every Cairn service takes: where to listen, how much to accept, how chatty to be.
///
/// ```swift
/// struct ServeCommand: AsyncParsableCommand {
///     enum Defaults: ServiceDefaults, BodyLimitDefaults { static let port = 8080; static let maxBodyMB = 64 }
///     @OptionGroup var service: ServiceOptions<Defaults>
///     @OptionGroup var body: BodyLimitOption<Defaults>
///     // service.configuration(body) is the listener configuration
/// }
/// ```
public struct ServiceOptions<Defaults: ServiceDefaults>: ParsableArguments {
    @Option(help: "Interface to listen on.")
    public var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    public var port: Int = Defaults.port

    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may wait for a request head, and stay idle between requests, before it is closed."
    )
    public var idleTimeout: Int = 60

    @Option(help: "Connections served at once; more wait in the accept queue.")
    public var maxConnections: Int = 1024

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    public var logLevel = "info"

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (1...86400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 1 and 86400 seconds.")
        }
        guard (1...1_000_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be between 1 and 1000000.")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    /// The listener configuration (with the default body limit; see ``BodyLimitOption``).
    public var configuration: ServiceConfiguration {
        ServiceConfiguration(
            host: host, port: port, idleTimeoutSeconds: idleTimeout, maxConnections: maxConnections)
    }

    /// The listener configuration with a body limit.
    public func configuration<B>(_ body: BodyLimitOption<B>) -> ServiceConfiguration {
        var c = configuration
        c.maxBodyBytes = body.maxBodyMB << 20
        return c
    }

    /// A logger at the chosen level.
    public func logger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }
}

/// `--max-body-mb`, for services whose requests carry bodies of one kind.
public struct BodyLimitOption<Defaults: BodyLimitDefaults>: ParsableArguments {
    @Option(name: .customLong("max-body-mb"), help: "Largest request body in MiB (larger bodies get 413).")
    public var maxBodyMB: Int = Defaults.maxBodyMB

    public init() {}

    public func validate() throws {
        guard (1...4096).contains(maxBodyMB) else { throw ValidationError("--max-body-mb must be between 1 and 4096.") }
    }
}
