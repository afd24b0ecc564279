import CairnStoreSQL

/// Hides the password of a PostgreSQL URI for logs.
public enum PostgresURIRedaction {
    /// The URI with `:password@` replaced by `:***@`.
    public static func redact(_ uri: String) -> String {
        guard let scheme = uri.range(of: "://"), let at = uri.range(of: "@", range: scheme.upperBound..<uri.endIndex)
        else { return uri }
        let userinfo = uri[scheme.upperBound..<at.lowerBound]
        guard let colon = userinfo.firstIndex(of: ":") else { return uri }
        return String(uri[..<colon]) + ":***" + String(uri[at.lowerBound...])
    }
}

/// Opens PostgreSQL databases for the factory.
public enum PostgresStoreOpener {
    /// Connects and, when asked, migrates.
    public static func open(uri: String, migrate: Bool) async throws -> any SQLDatabase {
        throw SQLStoreError.database("PostgreSQL support is not built in yet")
    }
}
