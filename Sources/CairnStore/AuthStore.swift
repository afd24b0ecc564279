import CairnCore

/// A user who can sign in.
public struct UserAccount: Sendable, Equatable {
    public var id: Int64
    public var username: String
    /// The password's KDF string (algorithm, parameters, salt, hash); never sent to clients.
    public var passwordHash: String
    public var isAdmin: Bool
    public var createdAt: Int64

    /// Creates a user record.
    public init(id: Int64, username: String, passwordHash: String, isAdmin: Bool, createdAt: Int64) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }
}

/// One grant: a user's level on a resource (or on `*` of a type).
public struct PermissionGrant: Sendable, Equatable {
    public var username: String
    public var key: GrantKey
    public var permission: Permission

    /// Creates a grant record.
    public init(username: String, key: GrantKey, permission: Permission) {
        self.username = username
        self.key = key
        self.permission = permission
    }
}

/// An API token as stored: only the SHA-256 of the secret is kept.
public struct APIToken: Sendable, Equatable {
    /// A short public id for listing and revoking.
    public var id: String
    public var username: String
    public var name: String
    public var createdAt: Int64
    /// Milliseconds since the epoch after which the token is refused; nil never expires.
    public var expiresAt: Int64?
    public var revokedAt: Int64?

    /// Creates a token record.
    public init(
        id: String, username: String, name: String, createdAt: Int64, expiresAt: Int64?, revokedAt: Int64?
    ) {
        self.id = id
        self.username = username
        self.name = name
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token is accepted at `now` (milliseconds).
    public func isValid(at now: Int64) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// A signed-in browser: the user and the form token its pages carry.
public struct LoginSession: Sendable, Equatable {
    public var user: UserAccount
    /// The token every state-changing form of this session must repeat.
    public var formToken: String
    public var expiresAt: Int64

    /// Creates a session record.
    public init(user: UserAccount, formToken: String, expiresAt: Int64) {
        self.user = user
        self.formToken = formToken
        self.expiresAt = expiresAt
    }
}

/// One entry of the audit log: who did what to which resource, when and from where.
public struct AuditEvent: Sendable, Equatable {
    /// Position in the log (0 for an event not yet stored).
    public var id: Int64
    /// Milliseconds since the epoch.
    public var time: Int64
    /// The user, or `-` when the server runs without authentication.
    public var username: String
    /// The client's address as the server saw it.
    public var address: String
    /// What was done, e.g. `experiments/delete` or `users/permissions/grant`.
    public var action: String
    /// The kind of resource (`experiment`, `registered_model`, `run`, `user`, …).
    public var resourceType: String
    public var resourceId: String
    /// Further facts (a new name, an alias and version, a permission level).
    public var detail: String

    /// Creates an audit event.
    public init(
        id: Int64 = 0, time: Int64, username: String, address: String, action: String, resourceType: String,
        resourceId: String, detail: String
    ) {
        self.id = id
        self.time = time
        self.username = username
        self.address = address
        self.action = action
        self.resourceType = resourceType
        self.resourceId = resourceId
        self.detail = detail
    }
}

/// Users, their grants, API tokens, browser sessions and the audit log.
///
/// Only hashes of secrets reach the store: password KDF strings, and SHA-256 digests of tokens and
/// session cookies. The rules (who may do what, MLflow's semantics) live in the auth service above it.
///
/// ```swift
/// let user = try await store.createUser(username: "ana", passwordHash: hash, isAdmin: false)
/// try await store.setGrant(userId: user.id, key: GrantKey(.experiment, "3"), permission: .edit)
/// ```
public protocol AuthStore: Sendable {
    // MARK: Users
    /// Creates a user; `RESOURCE_ALREADY_EXISTS` when the name is taken.
    func createUser(username: String, passwordHash: String, isAdmin: Bool) async throws -> UserAccount
    /// The user with this name, if any.
    func user(named username: String) async throws -> UserAccount?
    /// Every user, by name.
    func listUsers() async throws -> [UserAccount]
    /// Changes a user's password hash and/or admin flag; `RESOURCE_DOES_NOT_EXIST` when absent.
    func updateUser(username: String, passwordHash: String?, isAdmin: Bool?) async throws
    /// Deletes a user with their grants, tokens and sessions; `RESOURCE_DOES_NOT_EXIST` when absent.
    func deleteUser(username: String) async throws
    /// How many administrators exist.
    func adminCount() async throws -> Int

    // MARK: Grants
    /// The user's grants, keyed by resource.
    func grants(userId: Int64) async throws -> [GrantKey: Permission]
    /// Every grant of one user, or of all users, ordered by user and resource.
    func listGrants(username: String?) async throws -> [PermissionGrant]
    /// Sets (or replaces) a user's level on a resource.
    func setGrant(userId: Int64, key: GrantKey, permission: Permission) async throws
    /// Removes a user's grant on a resource; false when there was none.
    func removeGrant(userId: Int64, key: GrantKey) async throws -> Bool
    /// Moves every grant on a resource to a new id (a registered model renamed).
    func moveGrants(from key: GrantKey, toId newId: String) async throws
    /// Removes every grant on a resource (a registered model deleted).
    func removeGrants(on key: GrantKey) async throws

    // MARK: Tokens
    /// Stores a token by the SHA-256 of its secret.
    func createToken(_ token: APIToken, secretHash: String) async throws
    /// The token with this secret hash and its user, if any (valid or not).
    func token(secretHash: String) async throws -> (APIToken, UserAccount)?
    /// The tokens of one user, or of all users, newest first.
    func listTokens(username: String?) async throws -> [APIToken]
    /// Revokes a token by id at `time`; false when no unrevoked token has that id.
    func revokeToken(id: String, at time: Int64) async throws -> Bool

    // MARK: Sessions
    /// Stores a browser session by the SHA-256 of its cookie.
    func createSession(cookieHash: String, userId: Int64, formToken: String, expiresAt: Int64) async throws
    /// The unexpired session with this cookie hash.
    func session(cookieHash: String, now: Int64) async throws -> LoginSession?
    /// Ends a session; also removes sessions that expired before `now`.
    func deleteSession(cookieHash: String, now: Int64) async throws

    // MARK: Audit log
    /// Appends an event.
    func appendAudit(_ event: AuditEvent) async throws
    /// Events at or after `since` (milliseconds), oldest first, at most `limit`.
    func auditEvents(since: Int64, username: String?, limit: Int) async throws -> [AuditEvent]
}
