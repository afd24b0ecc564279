import CairnCore
import CairnStore

extension SQLTrackingStore: AuthStore {
    static func userRecord(_ row: SQLRow) throws -> UserAccount {
        UserAccount(
            id: try row.get("id"), username: try row.get("username"), passwordHash: try row.get("password_hash"),
            isAdmin: try row.get("is_admin"), createdAt: try row.get("created_at"))
    }

    static func noUser(_ username: String) -> MlflowError {
        .notFound("User with username=\(username) not found")
    }

    static func requireUser(_ s: any SQLSession, _ username: String) throws -> Int64 {
        guard let id = try s.scalar(Int64.self, "SELECT id FROM auth_users WHERE username = \(username)") else {
            throw noUser(username)
        }
        return id
    }

    public func createUser(username: String, passwordHash: String, isAdmin: Bool) async throws -> UserAccount {
        try await write { s in
            let now = Self.now()
            let exists = MlflowError(.resourceAlreadyExists, "User '\(username)' already exists.")
            if try s.exists("SELECT 1 FROM auth_users WHERE username = \(username)") { throw exists }
            do {
                guard
                    let row = try s.fetchOne(
                        """
                        INSERT INTO auth_users (username, password_hash, is_admin, created_at)
                        VALUES (\(username), \(passwordHash), \(isAdmin), \(now)) RETURNING *
                        """)
                else { throw SQLStoreError.database("the new user was not returned") }
                return try Self.userRecord(row)
            } catch SQLStoreError.uniqueViolation {
                throw exists
            }
        }
    }

    public func user(named username: String) async throws -> UserAccount? {
        try await read { s in
            try s.fetchOne("SELECT * FROM auth_users WHERE username = \(username)").map(Self.userRecord)
        }
    }

    public func listUsers() async throws -> [UserAccount] {
        try await read { s in try s.fetchAll("SELECT * FROM auth_users ORDER BY username").map(Self.userRecord) }
    }

    public func updateUser(username: String, passwordHash: String?, isAdmin: Bool?) async throws {
        try await write { s in
            let id = try Self.requireUser(s, username)
            if let passwordHash {
                try s.execute("UPDATE auth_users SET password_hash = \(passwordHash) WHERE id = \(id)")
                // A new password ends every browser signed in with the old one.
                try s.execute("DELETE FROM auth_sessions WHERE user_id = \(id)")
            }
            if let isAdmin { try s.execute("UPDATE auth_users SET is_admin = \(isAdmin) WHERE id = \(id)") }
        }
    }

    public func deleteUser(username: String) async throws {
        try await write { s in
            let id = try Self.requireUser(s, username)
            try s.execute("DELETE FROM auth_users WHERE id = \(id)")
        }
    }

    public func adminCount() async throws -> Int {
        try await read { s in try s.scalar(Int.self, "SELECT COUNT(*) FROM auth_users WHERE is_admin = 1") ?? 0 }
    }

    public func grants(userId: Int64) async throws -> [GrantKey: Permission] {
        try await read { s in
            var grants: [GrantKey: Permission] = [:]
            try s.forEach(
                "SELECT resource_type, resource_id, permission FROM auth_grants WHERE user_id = \(userId)"
            ) { row in
                guard let type = ResourceType(rawValue: try row.get(0)),
                    let permission = Permission(rawValue: try row.get(2))
                else { return }
                grants[GrantKey(type, try row.get(1))] = permission
            }
            return grants
        }
    }

    public func listGrants(username: String?) async throws -> [PermissionGrant] {
        try await read { s in
            let filter: SQLStatement = username.map { "WHERE u.username = \($0)" } ?? ""
            return try s.fetchAll(
                """
                SELECT u.username, g.resource_type, g.resource_id, g.permission
                FROM auth_grants g JOIN auth_users u ON u.id = g.user_id \(filter)
                ORDER BY u.username, g.resource_type, g.resource_id
                """
            ).compactMap { row in
                guard let type = ResourceType(rawValue: try row.get(1)),
                    let permission = Permission(rawValue: try row.get(3))
                else { return nil }
                return PermissionGrant(
                    username: try row.get(0), key: GrantKey(type, try row.get(2)), permission: permission)
            }
        }
    }

    public func setGrant(userId: Int64, key: GrantKey, permission: Permission) async throws {
        try await write { s in
            try s.upsert(
                into: "auth_grants", key: ["user_id", "resource_type", "resource_id"], set: ["permission"],
                rows: [[.int(userId), .text(key.type.rawValue), .text(key.id), .text(permission.rawValue)]])
        }
    }

    public func removeGrant(userId: Int64, key: GrantKey) async throws -> Bool {
        try await write { s in
            try s.execute(
                """
                DELETE FROM auth_grants
                WHERE user_id = \(userId) AND resource_type = \(key.type.rawValue) AND resource_id = \(key.id)
                """) > 0
        }
    }

    public func moveGrants(from key: GrantKey, toId newId: String) async throws {
        try await write { s in
            try s.execute(
                """
                UPDATE auth_grants SET resource_id = \(newId)
                WHERE resource_type = \(key.type.rawValue) AND resource_id = \(key.id)
                """)
        }
    }

    public func removeGrants(on key: GrantKey) async throws {
        try await write { s in
            try s.execute(
                "DELETE FROM auth_grants WHERE resource_type = \(key.type.rawValue) AND resource_id = \(key.id)")
        }
    }

    static func tokenRecord(_ row: SQLRow) throws -> APIToken {
        APIToken(
            id: try row.get("id"), username: try row.get("username"), name: try row.get("name"),
            createdAt: try row.get("created_at"), expiresAt: try row.get("expires_at"),
            revokedAt: try row.get("revoked_at"))
    }

    public func createToken(_ token: APIToken, secretHash: String) async throws {
        try await write { s in
            let userId = try Self.requireUser(s, token.username)
            try s.execute(
                """
                INSERT INTO auth_tokens (id, user_id, name, secret_hash, created_at, expires_at, revoked_at)
                VALUES (\(token.id), \(userId), \(token.name), \(secretHash), \(token.createdAt),
                        \(token.expiresAt), \(token.revokedAt))
                """)
        }
    }

    public func token(secretHash: String) async throws -> (APIToken, UserAccount)? {
        try await read { s in
            guard
                let row = try s.fetchOne(
                    """
                    SELECT t.id AS token_id, t.name, t.created_at AS token_created_at, t.expires_at, t.revoked_at,
                           u.id, u.username, u.password_hash, u.is_admin, u.created_at
                    FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id WHERE t.secret_hash = \(secretHash)
                    """)
            else { return nil }
            let user = try Self.userRecord(row)
            let token = APIToken(
                id: try row.get("token_id"), username: user.username, name: try row.get("name"),
                createdAt: try row.get("token_created_at"), expiresAt: try row.get("expires_at"),
                revokedAt: try row.get("revoked_at"))
            return (token, user)
        }
    }

    public func listTokens(username: String?) async throws -> [APIToken] {
        try await read { s in
            let filter: SQLStatement = username.map { "WHERE u.username = \($0)" } ?? ""
            return try s.fetchAll(
                """
                SELECT t.id, u.username, t.name, t.created_at, t.expires_at, t.revoked_at
                FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id \(filter)
                ORDER BY t.created_at DESC, t.id
                """
            ).map(Self.tokenRecord)
        }
    }

    public func revokeToken(id: String, at time: Int64) async throws -> Bool {
        try await write { s in
            try s.execute("UPDATE auth_tokens SET revoked_at = \(time) WHERE id = \(id) AND revoked_at IS NULL") > 0
        }
    }

    public func createSession(cookieHash: String, userId: Int64, formToken: String, expiresAt: Int64) async throws {
        try await write { s in
            try s.execute(
                """
                INSERT INTO auth_sessions (cookie_hash, user_id, form_token, expires_at)
                VALUES (\(cookieHash), \(userId), \(formToken), \(expiresAt))
                """)
        }
    }

    public func session(cookieHash: String, now: Int64) async throws -> LoginSession? {
        try await read { s in
            guard
                let row = try s.fetchOne(
                    """
                    SELECT s.form_token, s.expires_at, u.*
                    FROM auth_sessions s JOIN auth_users u ON u.id = s.user_id
                    WHERE s.cookie_hash = \(cookieHash) AND s.expires_at > \(now)
                    """)
            else { return nil }
            return LoginSession(
                user: try Self.userRecord(row), formToken: try row.get("form_token"),
                expiresAt: try row.get("expires_at"))
        }
    }

    public func deleteSession(cookieHash: String, now: Int64) async throws {
        try await write { s in
            try s.execute("DELETE FROM auth_sessions WHERE cookie_hash = \(cookieHash) OR expires_at <= \(now)")
        }
    }

    public func appendAudit(_ event: AuditEvent) async throws {
        try await write { s in
            try s.execute(
                """
                INSERT INTO audit_events (time, username, address, action, resource_type, resource_id, detail)
                VALUES (\(event.time), \(event.username), \(event.address), \(event.action),
                        \(event.resourceType), \(event.resourceId), \(event.detail))
                """)
        }
    }

    public func auditEvents(since: Int64, username: String?, limit: Int) async throws -> [AuditEvent] {
        try await read { s in
            let filter: SQLStatement = username.map { "AND username = \($0)" } ?? ""
            return try s.fetchAll(
                "SELECT * FROM audit_events WHERE time >= \(since) \(filter) ORDER BY time, id LIMIT \(limit)"
            ).map { row in
                AuditEvent(
                    id: try row.get("id"), time: try row.get("time"), username: try row.get("username"),
                    address: try row.get("address"), action: try row.get("action"),
                    resourceType: try row.get("resource_type"), resourceId: try row.get("resource_id"),
                    detail: try row.get("detail"))
            }
        }
    }
}
