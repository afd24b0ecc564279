import Foundation

/// A chosen param, metric or tag column of the runs table, written `metrics.acc` in the URL.
struct RunColumn: Sendable, Equatable, Hashable {
    enum Kind: String, Sendable, CaseIterable {
        case metrics, params, tags
    }

    var kind: Kind
    var key: String

    /// Parses `metrics.acc`, `params.lr` or `tags.team`; nil for anything else.
    init?(_ spec: String) {
        guard let dot = spec.firstIndex(of: "."), let kind = Kind(rawValue: String(spec[..<dot])) else { return nil }
        let key = String(spec[spec.index(after: dot)...])
        guard !key.isEmpty else { return nil }
        self.kind = kind
        self.key = key
    }

    init(kind: Kind, key: String) {
        self.kind = kind
        self.key = key
    }

    /// The URL form.
    var spec: String { kind.rawValue + "." + key }

    /// The order-by key in the search grammar, with the key quoted.
    var orderKey: String { kind.rawValue + ".`" + key.replacingOccurrences(of: "`", with: "") + "`" }
}

/// The sortable built-in columns of the runs table.
enum RunAttributeColumn: String, CaseIterable {
    case name = "Run name"
    case status = "Status"
    case started = "Started (UTC)"
    case duration = "Duration"
    case user = "User"
    case commit = "Commit"

    /// The order-by key, nil when the column cannot be sorted on the server.
    var orderKey: String? {
        switch self {
        case .name: "attributes.run_name"
        case .status: "attributes.status"
        case .started: "attributes.start_time"
        case .duration: nil
        case .user: "attributes.user_id"
        case .commit: "tags.`mlflow.source.git.commit`"
        }
    }
}
