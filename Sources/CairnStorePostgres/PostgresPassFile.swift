import CairnStoreSQL
import Foundation

/// A libpq password file: lines of `host:port:database:user:password`.
///
/// Any of the first four fields may be `*` to match anything; `\:` and `\\` stand for a colon and a
/// backslash; lines starting with `#` are comments. The first matching line gives the password.
struct PostgresPassFile: Sendable {
    /// One line of the file.
    struct Entry: Sendable, Equatable {
        var host: String
        var port: String
        var database: String
        var user: String
        var password: String
    }

    /// The usable lines, in file order.
    var entries: [Entry]

    /// Reads and parses the file at `path`.
    init(path: String) throws(SQLStoreError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .database("cannot read the PostgreSQL password file \(path): \(error.localizedDescription)")
        }
        self.init(text: text)
    }

    /// Parses the text of a password file; lines with fewer than five fields are skipped, as libpq does.
    init(text: String) {
        entries = text.split(whereSeparator: \.isNewline).compactMap { line in
            if line.hasPrefix("#") { return nil }
            let fields = Self.fields(of: line)
            guard fields.count >= 5 else { return nil }
            return Entry(
                host: fields[0], port: fields[1], database: fields[2], user: fields[3],
                password: fields[4...].joined(separator: ":"))
        }
    }

    /// The password of the first line matching the connection, if any.
    func password(host: String, port: Int, database: String, user: String) -> String? {
        func matches(_ pattern: String, _ value: String) -> Bool { pattern == "*" || pattern == value }
        let hostForMatch = host.hasPrefix("/") ? "localhost" : host
        return entries.first {
            matches($0.host, hostForMatch) && matches($0.port, String(port)) && matches($0.database, database)
                && matches($0.user, user)
        }?.password
    }

    /// Splits a line at unescaped colons, resolving `\:` and `\\`.
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
