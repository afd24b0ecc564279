import CairnCore
import CairnStore
import Dispatch

/// Users, sign-in, tokens and permissions: the rules above the ``AuthStore``, shared by the server,
/// the web UI and the command line.
///
/// ```swift
/// let auth = AuthService(store: store, defaultPermission: .read)
/// let caller = try await auth.authenticate(username: "ana", password: pw, address: "10.0.0.7")
/// try await auth.require(.update, on: GrantKey(.experiment, "3"), for: caller)
/// ```
public final class AuthService: Sendable {
    /// Where users, grants, tokens and sessions live.
    public let store: any AuthStore
    /// Resolves levels from grants and the server's default.
    public let resolver: PermissionResolver
    /// The password KDF.
    public let hasher: PasswordHasher
    /// Failed sign-in limits.
    public let throttle: LoginThrottle
    let cache = CredentialCache()

    /// How long a browser session lasts, in milliseconds (12 hours).
    public static let sessionLifetime: Int64 = 12 * 3_600_000
    /// The shortest password accepted.
    public static let minimumPasswordLength = 8

    /// Creates the service over a store.
    public init(
        store: any AuthStore, defaultPermission: Permission = .read, hasher: PasswordHasher = .standard,
        throttle: LoginThrottle = LoginThrottle()
    ) {
        self.store = store
        self.resolver = PermissionResolver(defaultPermission: defaultPermission)
        self.hasher = hasher
        self.throttle = throttle
    }

    // MARK: Validation

    /// Checks a new user name: 1–255 characters, no control characters, no `:` (Basic credentials
    /// cannot carry one).
    public static func validate(username: String) throws(MlflowError) {
        if username.isEmpty { throw .invalid("Username and password cannot be empty.") }
        if username.count > 255 { throw .invalid("Username is longer than 255 characters.") }
        if username.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == ":" }) {
            throw .invalid("Username may not contain ':' or control characters.")
        }
    }

    /// Checks a new password: at least ``minimumPasswordLength`` characters, at most 1,024 bytes.
    public static func validate(password: String) throws(MlflowError) {
        if password.isEmpty { throw .invalid("Username and password cannot be empty.") }
        if password.count < minimumPasswordLength {
            throw .invalid("Password must be at least \(minimumPasswordLength) characters long.")
        }
        if password.utf8.count > 1024 { throw .invalid("Password is longer than 1,024 bytes.") }
    }

    // MARK: Authentication

    static func unauthenticated(_ message: String) -> MlflowError { MlflowError(.unauthenticated, message) }

    /// Checks a user name and password (HTTP Basic), throttled per user and address.
    public func authenticate(username: String, password: String, address: String) async throws -> Caller {
        let now = WallClock.nowMillis()
        let key = CredentialCache.key(username, password)
        if let hit = cache.lookup(key, now: now) {
            return Caller(
                userId: hit.userId, username: hit.username, isAdmin: hit.isAdmin, method: .password, address: address)
        }
        try throttle.check(username: username, address: address, now: now)
        let user = try await store.user(named: username)
        let hasher = self.hasher
        let ok = await Self.offload {
            guard let user else {
                hasher.verifyNothing(password)
                return false
            }
            return hasher.verify(password, against: user.passwordHash)
        }
        guard ok, let user else {
            throttle.failed(username: username, address: address, now: now)
            throw Self.unauthenticated("Invalid username or password.")
        }
        throttle.succeeded(username: username)
        cache.store(
            key, .init(userId: user.id, username: user.username, isAdmin: user.isAdmin, expires: now + cache.ttlMillis))
        return Caller(
            userId: user.id, username: user.username, isAdmin: user.isAdmin, method: .password, address: address)
    }

    /// Checks an API token (HTTP Bearer): known, not revoked, not expired.
    public func authenticate(token: String, address: String) async throws -> Caller {
        guard let (record, user) = try await store.token(secretHash: SecretToken.digest(token)),
            record.isValid(at: WallClock.nowMillis())
        else { throw Self.unauthenticated("The token is unknown, expired or revoked.") }
        return Caller(
            userId: user.id, username: user.username, isAdmin: user.isAdmin, method: .token(id: record.id),
            address: address)
    }

    /// The caller of a browser session cookie, or nil when it names no live session.
    public func authenticate(sessionCookie: String, address: String) async throws -> Caller? {
        guard
            let session = try await store.session(
                cookieHash: SecretToken.digest(sessionCookie), now: WallClock.nowMillis())
        else { return nil }
        return Caller(
            userId: session.user.id, username: session.user.username, isAdmin: session.user.isAdmin,
            method: .session(formToken: session.formToken), address: address)
    }

    /// Signs a browser in: checks the password and opens a session; returns the cookie to set.
    public func signIn(username: String, password: String, address: String) async throws -> (
        cookie: String, caller: Caller
    ) {
        let caller = try await authenticate(username: username, password: password, address: address)
        let cookie = SecretToken.make(prefix: "")
        let formToken = Identifiers.hex32()
        try await store.createSession(
            cookieHash: SecretToken.digest(cookie), userId: caller.userId, formToken: formToken,
            expiresAt: WallClock.nowMillis() + Self.sessionLifetime)
        var signedIn = caller
        signedIn.method = .session(formToken: formToken)
        return (cookie, signedIn)
    }

    /// Ends a browser session.
    public func signOut(sessionCookie: String) async throws {
        try await store.deleteSession(cookieHash: SecretToken.digest(sessionCookie), now: WallClock.nowMillis())
    }

    /// Runs blocking work (a key derivation) off the concurrency pool's few threads.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    // MARK: Users

    /// Creates a user after checking the name and password.
    @discardableResult
    public func createUser(username: String, password: String, isAdmin: Bool) async throws -> UserAccount {
        try Self.validate(username: username)
        try Self.validate(password: password)
        let hasher = self.hasher
        let hash = try await Self.offload { Result { try hasher.hash(password) } }.get()
        return try await store.createUser(username: username, passwordHash: hash, isAdmin: isAdmin)
    }

    /// Sets a user's password; their browser sessions end.
    public func setPassword(username: String, password: String) async throws {
        try Self.validate(password: password)
        let hasher = self.hasher
        let hash = try await Self.offload { Result { try hasher.hash(password) } }.get()
        try await store.updateUser(username: username, passwordHash: hash, isAdmin: nil)
        cache.forget(username: username)
    }

    /// Makes a user an administrator or takes it away.
    public func setAdmin(username: String, isAdmin: Bool) async throws {
        try await store.updateUser(username: username, passwordHash: nil, isAdmin: isAdmin)
        cache.forget(username: username)
    }

    /// Deletes a user with their grants, tokens and sessions.
    public func deleteUser(username: String) async throws {
        try await store.deleteUser(username: username)
        cache.forget(username: username)
    }

    /// The user with this name, or `RESOURCE_DOES_NOT_EXIST`.
    public func requireUser(_ username: String) async throws -> UserAccount {
        guard let user = try await store.user(named: username) else {
            throw MlflowError.notFound("User with username=\(username) not found")
        }
        return user
    }

    // MARK: Tokens

    /// Creates an API token for a user; the secret is returned once and only its hash is kept.
    public func createToken(username: String, name: String, lifetimeMillis: Int64?) async throws -> (
        token: APIToken, secret: String
    ) {
        _ = try await requireUser(username)
        let now = WallClock.nowMillis()
        let secret = SecretToken.make(prefix: SecretToken.apiPrefix)
        let token = APIToken(
            id: SecretToken.makeId(), username: username, name: name, createdAt: now,
            expiresAt: lifetimeMillis.map { now + $0 }, revokedAt: nil)
        try await store.createToken(token, secretHash: SecretToken.digest(secret))
        return (token, secret)
    }

    // MARK: Permissions

    /// The caller's level on a resource.
    public func permission(of caller: Caller, on key: GrantKey) async throws -> Permission {
        if caller.isAdmin { return .manage }
        let grants = try await store.grants(userId: caller.userId)
        return resolver.resolve(type: key.type, id: key.id, isAdmin: false, grants: grants)
    }

    /// Throws `PERMISSION_DENIED` (403) unless the caller's level on the resource grants `capability`.
    public func require(_ capability: Capability, on key: GrantKey, for caller: Caller) async throws {
        let level = try await permission(of: caller, on: key)
        guard level.allows(capability) else {
            throw MlflowError(
                .permissionDenied,
                "Permission denied: user '\(caller.username)' holds \(level.rawValue) on \(key.type.rawValue) "
                    + "'\(key.id)', which does not allow \(capability.rawValue).")
        }
    }

    /// Throws `PERMISSION_DENIED` unless the caller is an administrator.
    public func requireAdmin(_ caller: Caller) throws {
        guard caller.isAdmin else {
            throw MlflowError(.permissionDenied, "Permission denied: only administrators may do this.")
        }
    }

    /// The resources of a type the caller may read.
    public func visibility(of type: ResourceType, for caller: Caller) async throws -> Visibility {
        if caller.isAdmin { return .all }
        let grants = try await store.grants(userId: caller.userId)
        return resolver.visibility(of: type, isAdmin: false, grants: grants)
    }

    /// Grants a user a level on a resource (replacing an earlier grant).
    public func grant(username: String, key: GrantKey, permission: Permission) async throws {
        try key.type.validate(resourceId: key.id)
        if key.type == .workspace && ![.use, .manage, .read, .edit, .deny].contains(permission) {
            throw MlflowError.invalid("Permission \(permission.rawValue) cannot be granted on a workspace.")
        }
        let user = try await requireUser(username)
        try await store.setGrant(userId: user.id, key: key, permission: permission)
    }

    /// Removes a user's grant on a resource; `RESOURCE_DOES_NOT_EXIST` when there was none.
    public func revoke(username: String, key: GrantKey) async throws {
        let user = try await requireUser(username)
        guard try await store.removeGrant(userId: user.id, key: key) else {
            throw MlflowError.notFound(
                "User '\(username)' has no permission on \(key.type.rawValue) '\(key.id)' to revoke.")
        }
    }

    /// A user's effective level on a resource, as a grant lookup by an administrator sees it.
    public func effectivePermission(username: String, key: GrantKey) async throws -> Permission {
        let user = try await requireUser(username)
        if user.isAdmin { return .manage }
        let grants = try await store.grants(userId: user.id)
        return resolver.resolve(type: key.type, id: key.id, isAdmin: false, grants: grants)
    }
}
