/// A key/value pair: a run or experiment tag, or a run parameter.
public struct KeyValue: Sendable, Equatable, Hashable, JSONWritable {
    /// The key.
    public var key: String
    /// The value (an empty string is valid).
    public var value: String

    /// Creates a pair.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }

    public func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("key", key)
            w.field("value", value)
        }
    }
}

/// Where an entity is in its soft-delete lifecycle.
public enum LifecycleStage: String, Sendable {
    case active
    case deleted
}

/// Which lifecycle stages a search returns (proto `ViewType`).
public enum ViewType: String, Sendable, CaseIterable {
    case activeOnly = "ACTIVE_ONLY"
    case deletedOnly = "DELETED_ONLY"
    case all = "ALL"

    /// Parses the enum name or its proto number (1, 2, 3).
    public init?(wire: String) {
        switch wire.uppercased() {
        case "ACTIVE_ONLY", "1": self = .activeOnly
        case "DELETED_ONLY", "2": self = .deletedOnly
        case "ALL", "3": self = .all
        default: return nil
        }
    }

    /// The lifecycle stages included by this view.
    public var stages: [LifecycleStage] {
        switch self {
        case .activeOnly: [.active]
        case .deletedOnly: [.deleted]
        case .all: [.active, .deleted]
        }
    }
}
