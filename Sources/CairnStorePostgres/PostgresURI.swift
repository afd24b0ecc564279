import CairnStoreSQL
import Foundation
import PostgresNIO

/// Where and how to connect to PostgreSQL, parsed from a libpq-style URI.
///
/// ```swift
/// let uri = try PostgresURI(parsing: "postgresql://cairn:s%40cret@db.internal:5433/tracking?sslmode=require")
/// print(uri.redacted)  // postgresql://cairn@db.internal:5433/tracking?sslmode=require
/// ```
///
/// Accepts `postgresql://` and `postgres://`. User, password, host and database are percent-decoded.
/// Missing parts take libpq's defaults: host `localhost`, port 5432, user `PGUSER` or the current user,
/// database named like the user. The password comes from the URI, else `PGPASSWORD`, else the
/// password file named by `?passfile=` or `PGPASSFILE` (libpq's `host:port:database:user:password` lines).
/// A host that starts with `/` (written `%2F…`) is the directory of a Unix-domain socket.
public struct PostgresURI: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// Plain TCP as well: this driver does not try TLS first, so `prefer` falls back to an
        /// unencrypted connection without asking the server. Use `require` to insist on TLS.
        case prefer
        /// TLS without checking the server's certificate.
        case require
        /// TLS with the certificate checked against the system's trust roots and the host name.
        case verifyFull = "verify-full"
    }

    /// The user to log in as.
    public var user: String
    /// The password, when the URI, the environment or a password file gives one.
    public var password: String?
    /// The host name or address, or the directory of a Unix-domain socket when it starts with `/`.
    public var host: String
    /// The TCP port (also names the socket file in a socket directory).
    public var port: Int
    /// The database name.
    public var database: String
    /// The TLS mode.
    public var sslMode: SSLMode

    /// Parses a URI; `environment` supplies `PGUSER`, `PGPASSWORD`, `PGPASSFILE` and `USER`.
    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(SQLStoreError)
    {
        var rest = Substring(text)
        guard let schemeEnd = rest.range(of: "://") else { throw Self.invalid("expected postgresql://HOST/DATABASE") }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw Self.invalid("scheme '\(scheme)' is not postgresql:// or postgres://")
        }
        rest = rest[schemeEnd.upperBound...]
        if rest.contains("#") { throw Self.invalid("fragments ('#') are not allowed; percent-encode '#' as %23") }

        // An unencoded '/' or '?' in a password would move part of it into the path or the query,
        // and from there into error messages: refuse before anything is echoed.
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if rest[authorityEnd...].contains("@") {
            throw Self.invalid("'@' after the host: percent-encode '/', '?' and '@' in the user name and password")
        }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        var userText: String?
        var passwordText: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                userText = try Self.decode(userInfo[..<colon], "user name")
                passwordText = try Self.decode(userInfo[userInfo.index(after: colon)...], "password")
            } else {
                userText = try Self.decode(userInfo, "user name")
            }
        }
        let (hostText, portText) = try Self.splitHostPort(rest)

        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw Self.invalid("a query parameter has no '=value'")
            }
            let key = try Self.decode(pair[..<equals], "query parameter")
            let value = try Self.decode(pair[pair.index(after: equals)...], "query parameter '\(key)'")
            guard Self.knownParameters.contains(key) else {
                let known = Self.knownParameters.sorted().joined(separator: ", ")
                throw Self.invalid("unknown query parameter '\(key)' (known: \(known))")
            }
            parameters[key] = value
        }

        var host = "localhost"
        if let given = parameters["host"] {
            host = given
        } else if let hostText {
            host = try Self.decode(hostText, "host")
        }
        guard !host.isEmpty else { throw Self.invalid("the host is empty") }
        guard !host.contains(",") else { throw Self.invalid("several hosts are not supported") }
        self.host = host
        let portString = parameters["port"] ?? portText.map(String.init)
        if let portString {
            guard let port = Int(portString), (1...65535).contains(port) else {
                throw Self.invalid("the port is not a number from 1 to 65535")
            }
            self.port = port
        } else {
            self.port = 5432
        }
        let decodedPath = try Self.decode(path, "database name")
        guard !path.contains("/") else {
            throw Self.invalid("the path must be a single database name (percent-encode '/' as %2F)")
        }
        let user =
            parameters["user"] ?? userText.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"]
            ?? Self.currentUser(environment)
        guard !user.isEmpty else { throw Self.invalid("no user name: give one in the URI or set PGUSER") }
        self.user = user
        let database = parameters["dbname"] ?? (decodedPath.isEmpty ? nil : decodedPath) ?? user
        self.database = database
        if let mode = parameters["sslmode"] {
            guard let sslMode = SSLMode(rawValue: mode) else {
                let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw Self.invalid("sslmode '\(mode)' is not one of \(modes)")
            }
            self.sslMode = sslMode
        } else {
            self.sslMode = .prefer
        }

        if let password = parameters["password"] ?? passwordText, !password.isEmpty {
            self.password = password
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            self.password = password
        } else if let file = parameters["passfile"] ?? environment["PGPASSFILE"], !file.isEmpty {
            let entries = try PostgresPassFile(path: file)
            self.password = entries.password(host: host, port: port, database: database, user: user)
        } else {
            self.password = nil
        }
    }

    /// The URI without its password, for messages and logs.
    public var redacted: String {
        var out = "postgresql://" + Self.encode(user) + "@"
        out += host.contains(":") ? "[\(host)]" : Self.encode(host)
        out += ":\(port)/" + Self.encode(database)
        if sslMode != .prefer { out += "?sslmode=\(sslMode.rawValue)" }
        return out
    }

    /// The redacted URI.
    public var description: String { redacted }

    /// Whether the host names a Unix-domain socket directory.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// `host:port` (or the socket path), for error messages.
    public var endpoint: String { isUnixSocket ? "\(host)/.s.PGSQL.\(port)" : "\(host):\(port)" }

    static let knownParameters: Set<String> = ["sslmode", "passfile", "host", "port", "user", "password", "dbname"]

    static func invalid(_ reason: String) -> SQLStoreError { .database("invalid PostgreSQL URI: \(reason)") }

    /// Splits `host:port`, `[v6]:port`, `host` or an empty authority.
    static func splitHostPort(_ text: Substring) throws(SQLStoreError) -> (Substring?, Substring?) {
        if text.isEmpty { return (nil, nil) }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("unclosed '[' in the host") }
            let host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw invalid("unexpected '\(after)' after the IPv6 address") }
            return (host, after.dropFirst())
        }
        guard let colon = text.lastIndex(of: ":") else { return (text, nil) }
        let host = text[..<colon]
        return (host.isEmpty ? nil : host, text[text.index(after: colon)...])
    }

    /// Percent-decodes a URI part, rejecting broken escapes and bytes that are not UTF-8.
    static func decode(_ text: Substring, _ what: String) throws(SQLStoreError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2, let high = hexValue(utf8.removeFirst()), let low = hexValue(utf8.removeFirst())
            else { throw invalid("bad percent-escape in the \(what)") }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw invalid("the \(what) is not UTF-8 after percent-decoding")
        }
        return decoded
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes everything but unreserved characters.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The login name of the process owner.
    static func currentUser(_ environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? ""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
