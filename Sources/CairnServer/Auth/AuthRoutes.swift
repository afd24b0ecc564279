import CairnAuth
import CairnCore
import CairnStore
import Hummingbird

/// MLflow's user and permission endpoints (the auth app of MLflow 3.17.2, plus the per-resource
/// endpoints of MLflow 2.x for older clients), answered only when the server runs with `--auth`.
///
/// Administrators may do everything; a user may read and change their own account; a user holding
/// `MANAGE` on an experiment or registered model may grant, revoke and read permissions on it.
struct AuthRoutes: Sendable {
    let api: TrackingAPI

    typealias Handler = @Sendable (AuthRoutes, AuthService, Caller, RequestParams) async throws -> [UInt8]

    /// The endpoints under `/api/2.0/mlflow` (and `/ajax-api/2.0/mlflow`).
    static let endpoints: [(String, [HTTPRequest.Method], Handler)] = [
        ("users/create", [.post], { try await $0.createUser($1, $2, $3) }),
        ("users/get", [.get], { try await $0.getUser($1, $2, $3) }),
        ("users/current", [.get], { try await $0.currentUser($1, $2, $3) }),
        ("users/list", [.get], { try await $0.listUsers($1, $2, $3) }),
        ("users/update-password", [.patch], { try await $0.updatePassword($1, $2, $3) }),
        ("users/update-admin", [.patch], { try await $0.updateAdmin($1, $2, $3) }),
        ("users/delete", [.delete], { try await $0.deleteUser($1, $2, $3) }),
        ("experiments/permissions/create", [.post], { try await $0.legacyGrant(.experiment, $1, $2, $3) }),
        ("experiments/permissions/get", [.get], { try await $0.legacyGet(.experiment, $1, $2, $3) }),
        ("experiments/permissions/update", [.patch], { try await $0.legacyGrant(.experiment, $1, $2, $3) }),
        ("experiments/permissions/delete", [.delete], { try await $0.legacyRevoke(.experiment, $1, $2, $3) }),
        ("registered-models/permissions/create", [.post], { try await $0.legacyGrant(.registeredModel, $1, $2, $3) }),
        ("registered-models/permissions/get", [.get], { try await $0.legacyGet(.registeredModel, $1, $2, $3) }),
        ("registered-models/permissions/update", [.patch], { try await $0.legacyGrant(.registeredModel, $1, $2, $3) }),
        (
            "registered-models/permissions/delete", [.delete],
            { try await $0.legacyRevoke(.registeredModel, $1, $2, $3) }
        ),
    ]

    /// The endpoints under `/api/3.0/mlflow` (and `/ajax-api/3.0/mlflow`).
    static let endpointsV3: [(String, [HTTPRequest.Method], Handler)] = [
        ("users/permissions/grant", [.post], { try await $0.grant($1, $2, $3) }),
        ("users/permissions/revoke", [.post], { try await $0.revoke($1, $2, $3) }),
        ("users/permissions/get", [.get], { try await $0.getPermission($1, $2, $3) }),
        ("users/permissions/list", [.get], { try await $0.listPermissions($1, $2, $3) }),
        ("users/current/permissions", [.get], { try await $0.currentPermissions($1, $2, $3) }),
    ]

    func register<Context: RequestContext>(on router: Router<Context>) {
        for (prefixes, table) in [
            (["api/2.0/mlflow", "ajax-api/2.0/mlflow"], Self.endpoints),
            (["api/3.0/mlflow", "ajax-api/3.0/mlflow"], Self.endpointsV3),
        ] {
            for prefix in prefixes {
                let group = router.group(RouterPath(prefix))
                for (path, methods, handler) in table {
                    for method in methods {
                        group.on(RouterPath(path), method: method) { request, context in
                            guard let auth = api.access.auth else {
                                throw MlflowError(
                                    .badRequest,
                                    "Users and permissions are off; start the server with `cairn server --auth`.")
                            }
                            guard let caller = Caller.current else {
                                throw MlflowError(.unauthenticated, "You are not authenticated.")
                            }
                            let params = try await APIRoutes.params(
                                request, context: context, maxBodySize: APIRoutes.smallBodyLimit)
                            return APIRoutes.json(try await handler(self, auth, caller, params))
                        }
                    }
                }
            }
        }
    }

    // MARK: Users

    static func writeUser(_ w: inout JSONWriter, _ user: UserAccount) {
        w.object { w in
            w.field("id", user.id)
            w.field("username", user.username)
            w.field("is_admin", user.isAdmin)
        }
    }

    func requireSelfOrAdmin(_ caller: Caller, _ username: String) throws {
        guard caller.isAdmin || caller.username == username else {
            throw MlflowError(.permissionDenied, "Permission denied: only administrators may manage other users.")
        }
    }

    func createUser(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        try auth.requireAdmin(caller)
        let username = try p.string("username") ?? ""
        let password = try p.string("password") ?? ""
        let user = try await auth.createUser(username: username, password: password, isAdmin: false)
        try await api.access.audit("users/create", "user", username)
        return TrackingAPI.json { w in
            w.key("user")
            Self.writeUser(&w, user)
        }
    }

    func getUser(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let username = try p.requiredString("username")
        try requireSelfOrAdmin(caller, username)
        let user = try await auth.requireUser(username)
        return TrackingAPI.json { w in
            w.key("user")
            Self.writeUser(&w, user)
        }
    }

    func currentUser(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let user = try await auth.requireUser(caller.username)
        return TrackingAPI.json { w in
            w.key("user")
            Self.writeUser(&w, user)
            w.field("is_basic_auth", caller.method == .password)
        }
    }

    func listUsers(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        try auth.requireAdmin(caller)
        let users = try await auth.store.listUsers()
        return TrackingAPI.json { w in
            w.key("users")
            w.array { w in
                for user in users {
                    w.object { w in
                        w.field("id", user.id)
                        w.field("username", user.username)
                        w.field("is_admin", user.isAdmin)
                        w.key("roles")
                        w.array { _ in }
                    }
                }
            }
        }
    }

    func updatePassword(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let username = try p.requiredString("username")
        let password = try p.requiredString("password")
        try requireSelfOrAdmin(caller, username)
        if caller.username == username {
            // Changing one's own password needs the current one, so a stolen browser session cannot.
            guard let current = try p.string("current_password"), !current.isEmpty else {
                throw MlflowError.invalid("Current password is required when changing your own password.")
            }
            do {
                _ = try await auth.authenticate(username: username, password: current, address: caller.address)
            } catch let error as MlflowError where error.code == .unauthenticated {
                throw MlflowError.invalid("Current password does not match.")
            }
            if current == password { throw MlflowError.invalid("New password must differ from the current password.") }
        }
        try await auth.setPassword(username: username, password: password)
        try await api.access.audit("users/update-password", "user", username)
        return TrackingAPI.empty
    }

    func updateAdmin(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        try auth.requireAdmin(caller)
        let username = try p.requiredString("username")
        guard let isAdmin = try p.bool("is_admin") else { throw MlflowError.missing("is_admin") }
        try await auth.setAdmin(username: username, isAdmin: isAdmin)
        try await api.access.audit("users/update-admin", "user", username, "is_admin=\(isAdmin)")
        return TrackingAPI.empty
    }

    func deleteUser(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        try auth.requireAdmin(caller)
        let username = try p.requiredString("username")
        if username == caller.username {
            throw MlflowError(
                .badRequest, "Users cannot delete their own account. Ask another admin to delete this user instead.")
        }
        try await auth.deleteUser(username: username)
        try await api.access.audit("users/delete", "user", username)
        return TrackingAPI.empty
    }

    // MARK: Grants

    /// Administrators may grant anything; others need `MANAGE` on the resource (never on the workspace).
    func requireManage(_ auth: AuthService, _ caller: Caller, _ key: GrantKey) async throws {
        if caller.isAdmin { return }
        if key.type == .workspace || key.id == "*" { try auth.requireAdmin(caller) }
        try await auth.require(.manage, on: key, for: caller)
    }

    func grantKey(_ p: RequestParams) throws -> GrantKey {
        let type = try ResourceType(parsing: try p.requiredString("resource_type"))
        let id = try p.requiredString("resource_id")
        try type.validate(resourceId: id)
        return GrantKey(type, id)
    }

    func grant(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let username = try p.requiredString("username")
        let key = try grantKey(p)
        let permission = try Permission(parsing: try p.requiredString("permission"))
        try await requireManage(auth, caller, key)
        try await auth.grant(username: username, key: key, permission: permission)
        try await api.access.audit(
            "users/permissions/grant", key.type.rawValue, key.id, "user=\(username) permission=\(permission.rawValue)")
        return TrackingAPI.empty
    }

    func revoke(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let username = try p.requiredString("username")
        let key = try grantKey(p)
        try await requireManage(auth, caller, key)
        try await auth.revoke(username: username, key: key)
        try await api.access.audit("users/permissions/revoke", key.type.rawValue, key.id, "user=\(username)")
        return TrackingAPI.empty
    }

    func getPermission(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let username = try p.requiredString("username")
        let key = try grantKey(p)
        if caller.username != username { try await requireManage(auth, caller, key) }
        let level = try await auth.effectivePermission(username: username, key: key)
        return TrackingAPI.json { w in
            w.field("allowed", level.allows(.use))
            w.field("permission", level.rawValue)
        }
    }

    func writePermissions(_ user: UserAccount, _ grants: [PermissionGrant]) -> [UInt8] {
        TrackingAPI.json { w in
            w.field("is_admin", user.isAdmin)
            w.key("permissions")
            w.array { w in
                for g in grants {
                    w.object { w in
                        w.field("role_id", user.id)
                        w.field("role_name", "__user_\(user.id)__")
                        w.field("workspace", "default")
                        w.field("resource_type", g.key.type.rawValue)
                        w.field("resource_pattern", g.key.id)
                        w.field("permission", g.permission.rawValue)
                    }
                }
            }
        }
    }

    func listPermissions(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let username = try p.requiredString("username")
        try requireSelfOrAdmin(caller, username)
        let user = try await auth.requireUser(username)
        return writePermissions(user, try await auth.store.listGrants(username: username))
    }

    func currentPermissions(_ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws -> [UInt8] {
        let user = try await auth.requireUser(caller.username)
        return writePermissions(user, try await auth.store.listGrants(username: caller.username))
    }

    // MARK: MLflow 2.x per-resource endpoints

    func legacyKey(_ type: ResourceType, _ p: RequestParams) throws -> GrantKey {
        GrantKey(type, try p.requiredString(type == .experiment ? "experiment_id" : "name"))
    }

    func legacyGrant(_ type: ResourceType, _ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws
        -> [UInt8]
    {
        let key = try legacyKey(type, p)
        let username = try p.requiredString("username")
        let permission = try Permission(parsing: try p.requiredString("permission"))
        try await requireManage(auth, caller, key)
        try await auth.grant(username: username, key: key, permission: permission)
        try await api.access.audit(
            "users/permissions/grant", key.type.rawValue, key.id, "user=\(username) permission=\(permission.rawValue)")
        return try await legacyGet(type, auth, caller, p)
    }

    func legacyGet(_ type: ResourceType, _ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws
        -> [UInt8]
    {
        let key = try legacyKey(type, p)
        let username = try p.requiredString("username")
        if caller.username != username { try await requireManage(auth, caller, key) }
        let user = try await auth.requireUser(username)
        guard let level = try await auth.store.grants(userId: user.id)[key] else {
            throw MlflowError.notFound(
                "\(type == .experiment ? "Experiment" : "Registered model") permission with "
                    + "\(type == .experiment ? "experiment_id" : "name")=\(key.id) and username=\(username) not found")
        }
        return TrackingAPI.json { w in
            w.key(type == .experiment ? "experiment_permission" : "registered_model_permission")
            w.object { w in
                w.field(type == .experiment ? "experiment_id" : "name", key.id)
                w.field("user_id", user.id)
                w.field("permission", level.rawValue)
            }
        }
    }

    func legacyRevoke(_ type: ResourceType, _ auth: AuthService, _ caller: Caller, _ p: RequestParams) async throws
        -> [UInt8]
    {
        let key = try legacyKey(type, p)
        let username = try p.requiredString("username")
        try await requireManage(auth, caller, key)
        try await auth.revoke(username: username, key: key)
        try await api.access.audit("users/permissions/revoke", key.type.rawValue, key.id, "user=\(username)")
        return TrackingAPI.empty
    }
}
