/// What a user may do with a resource: MLflow's permission levels and the capabilities each grants.
///
/// `noPermissions` is the absence of a grant; `deny` is an explicit grant of nothing that a wildcard
/// grant or the default permission cannot widen.
///
/// ```swift
/// let p = try Permission(parsing: "EDIT")
/// p.allows(.update)  // true
/// p.allows(.delete)  // false
/// ```
public enum Permission: String, Sendable, CaseIterable, Comparable {
    case deny = "DENY"
    case noPermissions = "NO_PERMISSIONS"
    case read = "READ"
    case use = "USE"
    case edit = "EDIT"
    case manage = "MANAGE"

    /// Parses a level by its MLflow name, with MLflow's error for an unknown one.
    public init(parsing name: String) throws(MlflowError) {
        guard let p = Permission(rawValue: name) else {
            let valid = Permission.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw .invalid("Invalid permission '\(name)'. Valid permissions are: (\(valid))")
        }
        self = p
    }

    /// Ordering by breadth: `deny` < `noPermissions` < `read` < `use` < `edit` < `manage`.
    var rank: Int {
        switch self {
        case .deny: -1
        case .noPermissions: 0
        case .read: 1
        case .use: 2
        case .edit: 3
        case .manage: 4
        }
    }

    public static func < (a: Permission, b: Permission) -> Bool { a.rank < b.rank }

    /// Whether this level grants `capability`.
    public func allows(_ capability: Capability) -> Bool {
        switch capability {
        case .read: self >= .read
        case .use: self >= .use
        case .update: self >= .edit
        case .delete, .manage: self == .manage
        }
    }
}

/// One thing a request does with a resource.
public enum Capability: String, Sendable, CaseIterable {
    case read, use, update, delete, manage
}

/// The kinds of resource a grant can name.
///
/// `experiment` and `registered_model` take an id (experiment id, model name) or `*`; `workspace`
/// takes only `*` and covers every experiment and registered model at once.
public enum ResourceType: String, Sendable, CaseIterable {
    case experiment
    case registeredModel = "registered_model"
    case workspace

    /// Parses a type by its MLflow name; MLflow types Cairn has no resource for are refused by name.
    public init(parsing name: String) throws(MlflowError) {
        guard let t = ResourceType(rawValue: name) else {
            let valid = ResourceType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw .invalid("Invalid resource type '\(name)'. Valid resource types are: (\(valid))")
        }
        self = t
    }

    /// Checks a resource id for this type: non-empty, and `*` for a workspace.
    public func validate(resourceId: String) throws(MlflowError) {
        if resourceId.isEmpty { throw .missing("resource_id") }
        if self == .workspace && resourceId != "*" {
            throw .invalid("Resource type 'workspace' takes only resource_id '*', got '\(resourceId)'.")
        }
        if resourceId.utf8.count > 500 { throw .invalid("resource_id is longer than 500 characters.") }
    }
}

/// The level a user holds on one resource, resolved from their grants.
///
/// The most specific grant wins: one on the resource itself, else one on `*` of its type, else one on
/// the workspace, else the server's default. An administrator holds `manage` on everything.
public struct PermissionResolver: Sendable {
    /// The level of a user with no grant that applies.
    public var defaultPermission: Permission

    /// Creates a resolver with the server's default level.
    public init(defaultPermission: Permission) {
        self.defaultPermission = defaultPermission
    }

    /// The effective level on `(type, id)` given the user's grants (keyed by type and id).
    public func resolve(
        type: ResourceType, id: String, isAdmin: Bool, grants: [GrantKey: Permission]
    ) -> Permission {
        if isAdmin { return .manage }
        if let own = grants[GrantKey(type, id)] { return own }
        if let wildcard = grants[GrantKey(type, "*")] { return wildcard }
        if let workspace = grants[GrantKey(.workspace, "*")] { return workspace }
        return defaultPermission
    }
}

/// The address of a grant: a resource type and an id or `*`.
public struct GrantKey: Hashable, Sendable {
    public var type: ResourceType
    public var id: String

    /// Creates a key.
    public init(_ type: ResourceType, _ id: String) {
        self.type = type
        self.id = id
    }
}

/// Which resources of one type a user may read, for filtering searches and lists in the database.
public enum Visibility: Sendable, Equatable {
    /// Every resource.
    case all
    /// Only these ids.
    case only(Set<String>)
    /// Every resource but these ids.
    case except(Set<String>)

    /// Whether `id` is visible.
    public func contains(_ id: String) -> Bool {
        switch self {
        case .all: true
        case .only(let ids): ids.contains(id)
        case .except(let ids): !ids.contains(id)
        }
    }
}

extension PermissionResolver {
    /// The resources of `type` a user may read: the wildcard level (or workspace, or default) decides the
    /// rest, and grants on single resources are the exceptions to it.
    public func visibility(of type: ResourceType, isAdmin: Bool, grants: [GrantKey: Permission]) -> Visibility {
        if isAdmin { return .all }
        let base = grants[GrantKey(type, "*")] ?? grants[GrantKey(.workspace, "*")] ?? defaultPermission
        var exceptions = Set<String>()
        for (key, permission) in grants where key.type == type && key.id != "*" {
            if permission.allows(.read) != base.allows(.read) { exceptions.insert(key.id) }
        }
        if base.allows(.read) { return exceptions.isEmpty ? .all : .except(exceptions) }
        return .only(exceptions)
    }
}
