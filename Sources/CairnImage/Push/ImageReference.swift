/// A registry image reference: `HOST[:PORT]/REPOSITORY:TAG` (the host is required; no default registry).
public struct ImageReference: Sendable, Equatable, CustomStringConvertible {
    /// `host` or `host:port`.
    public var host: String
    /// The repository path (`mlops/churn`).
    public var repository: String
    /// The tag.
    public var tag: String

    /// Parses a reference; the tag defaults to `latest`.
    public init(parsing text: String) throws(ImageError) {
        let body = text.hasPrefix("docker://") ? String(text.dropFirst("docker://".count)) : text
        guard let slash = body.firstIndex(of: "/") else {
            throw .invalid("'\(text)' needs a registry host: HOST[:PORT]/REPOSITORY[:TAG].")
        }
        let host = String(body[..<slash])
        var path = String(body[body.index(after: slash)...])
        var tag = "latest"
        if let colon = path.lastIndex(of: ":"), !path[colon...].contains("/") {
            tag = String(path[path.index(after: colon)...])
            path = String(path[..<colon])
        }
        guard !host.isEmpty, host.contains(".") || host.contains(":") || host == "localhost" else {
            throw .invalid("'\(text)' needs a registry host (with a dot or a port, or localhost) before the first '/'.")
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        let validComponent: (Substring) -> Bool = { c in
            guard let first = c.utf8.first, let last = c.utf8.last else { return false }
            func alnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x7A).contains(b) }
            return alnum(first) && alnum(last)
                && c.utf8.allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
        }
        guard !components.isEmpty, components.allSatisfy(validComponent) else {
            throw .invalid("'\(path)' is not a valid repository: lowercase letters, digits and . _ - between slashes.")
        }
        guard ImageTagRule.isValid(tag) else { throw .invalid("'\(tag)' is not a valid tag.") }
        self.host = host
        self.repository = path
        self.tag = tag
    }

    /// `HOST/REPOSITORY:TAG`.
    public var description: String { "\(host)/\(repository):\(tag)" }
}
