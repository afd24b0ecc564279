import CairnStoreSQL
import PostgresNIO

extension PostgresURI {
    /// The TLS settings of the mode; nil means plain TCP (`disable`, and `prefer`, which does not try TLS).
    public var tlsConfiguration: TLSConfiguration? {
        switch sslMode {
        case .disable, .prefer:
            return nil
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return tls
        case .verifyFull:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            return tls
        }
    }

    /// The configuration of a connection pool of at most `maximumConnections` connections.
    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if isUnixSocket {
            configuration = .init(unixSocketPath: endpoint, username: user, password: password, database: database)
        } else {
            configuration = .init(
                host: host, port: port, username: user, password: password, database: database,
                tls: tlsConfiguration.map { .require($0) } ?? .disable)
            if sslMode == .verifyFull { configuration.options.tlsServerName = host }
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        return configuration
    }

    /// The configuration of one connection, used to check the server answers before the pool starts.
    func connectionConfiguration() throws(SQLStoreError) -> PostgresConnection.Configuration {
        if isUnixSocket {
            return .init(unixSocketPath: endpoint, username: user, password: password, database: database)
        }
        var tls = PostgresConnection.Configuration.TLS.disable
        if let tlsConfiguration {
            do {
                tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
            } catch {
                throw .database("cannot set up TLS for PostgreSQL at \(endpoint): \(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        if sslMode == .verifyFull { configuration.options.tlsServerName = host }
        return configuration
    }
}
