import CairnCore

/// The caller's level on every resource of one type, resolved from one read of their grants, so a
/// list page can decide per row which actions to offer without a query per row.
///
/// ```swift
/// let rights = try await access.permissions(on: .experiment)
/// if rights.allows(.delete, on: experimentId) { /* show the Delete button */ }
/// ```
public struct ResourcePermissions: Sendable {
    /// The resource type the levels are for.
    public let type: ResourceType
    private let rule: Rule

    private enum Rule: Sendable {
        case everything
        case nothing
        case grants(PermissionResolver, [GrantKey: Permission])
    }

    private init(type: ResourceType, rule: Rule) {
        self.type = type
        self.rule = rule
    }

    /// Every action allowed: authentication is off, or the caller is an administrator.
    public static func unrestricted(_ type: ResourceType) -> ResourcePermissions {
        ResourcePermissions(type: type, rule: .everything)
    }

    /// No action allowed: nobody is signed in.
    public static func none(_ type: ResourceType) -> ResourcePermissions {
        ResourcePermissions(type: type, rule: .nothing)
    }

    /// The levels a non-administrator holds through `grants`, with `resolver`'s default for the rest.
    public static func resolved(
        _ type: ResourceType, resolver: PermissionResolver, grants: [GrantKey: Permission]
    ) -> ResourcePermissions {
        ResourcePermissions(type: type, rule: .grants(resolver, grants))
    }

    /// Whether the caller's level on the resource `id` grants `capability`.
    public func allows(_ capability: Capability, on id: String) -> Bool {
        switch rule {
        case .everything: true
        case .nothing: false
        case .grants(let resolver, let grants):
            resolver.resolve(type: type, id: id, isAdmin: false, grants: grants).allows(capability)
        }
    }
}
