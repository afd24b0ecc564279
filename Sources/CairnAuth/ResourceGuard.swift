import CairnCore
import CairnStore
import Synchronization

/// Permission checks by resource, for the API and the web UI alike: experiments (and the runs and
/// logged models in them) by the experiment's grant, registered models by the model's.
///
/// Without an ``AuthService`` (a server started without `--auth`) every check passes and every
/// resource is visible.
///
/// ```swift
/// let guard = ResourceGuard(auth: auth, store: store)
/// try await guard.require(.update, run: runId)
/// ```
public struct ResourceGuard: Sendable {
    /// The auth service; nil when authentication is off.
    public let auth: AuthService?
    public let store: any MetadataStore
    private let runExperiments = RunExperimentCache()

    /// Creates a guard.
    public init(auth: AuthService?, store: any MetadataStore) {
        self.auth = auth
        self.store = store
    }

    /// The caller when authentication is on; throws 401 when it is on and nobody signed in.
    public func requireCaller() throws -> Caller? {
        guard auth != nil else { return nil }
        guard let caller = Caller.current else {
            throw MlflowError(.unauthenticated, "You are not authenticated; sign in or send a token.")
        }
        return caller
    }

    /// Throws 401/403 unless the caller holds `capability` on the resource.
    public func require(_ capability: Capability, on key: GrantKey) async throws {
        guard let auth, let caller = try requireCaller() else { return }
        try await auth.require(capability, on: key, for: caller)
    }

    /// Whether the caller holds `capability` on the resource (for hiding actions on pages).
    public func allows(_ capability: Capability, on key: GrantKey) async -> Bool {
        guard let auth else { return true }
        guard let caller = Caller.current else { return false }
        return (try? await auth.permission(of: caller, on: key).allows(capability)) ?? false
    }

    /// Whether the caller holds `capability` on the run's experiment (for hiding actions on pages).
    public func allows(_ capability: Capability, run runId: String) async -> Bool {
        guard auth != nil else { return true }
        guard let id = try? await experiment(ofRun: runId) else { return false }
        return await allows(capability, on: GrantKey(.experiment, id))
    }

    /// The caller's level on every resource of a type, from one read of their grants (for hiding the
    /// actions of a list row by row).
    public func permissions(on type: ResourceType) async throws -> ResourcePermissions {
        guard let auth else { return .unrestricted(type) }
        guard let caller = Caller.current else { return .none(type) }
        if caller.isAdmin { return .unrestricted(type) }
        return .resolved(type, resolver: auth.resolver, grants: try await auth.store.grants(userId: caller.userId))
    }

    /// Throws unless the caller holds `capability` on the run's experiment.
    public func require(_ capability: Capability, run runId: String) async throws {
        guard auth != nil else { return }
        try await require(capability, on: GrantKey(.experiment, try await experiment(ofRun: runId)))
    }

    /// Throws unless the caller is an administrator.
    public func requireAdmin() throws {
        guard let auth, let caller = try requireCaller() else { return }
        try auth.requireAdmin(caller)
    }

    /// The experiment of a run; cached, since a run never moves.
    public func experiment(ofRun runId: String) async throws -> String {
        if let known = runExperiments.lookup(runId) { return known }
        let id = try await store.experimentId(ofRun: runId)
        runExperiments.store(runId, id)
        return id
    }

    /// What the caller may read of a resource type (everything when authentication is off).
    public func visibility(_ type: ResourceType) async throws -> Visibility {
        guard let auth, let caller = try requireCaller() else { return .all }
        return try await auth.visibility(of: type, for: caller)
    }

    /// Grants the creator `MANAGE` on what they created.
    public func created(_ key: GrantKey) async throws {
        guard let auth, let caller = try requireCaller() else { return }
        try await auth.store.setGrant(userId: caller.userId, key: key, permission: .manage)
    }

    /// Moves grants with a renamed registered model.
    public func renamedModel(from name: String, to newName: String) async throws {
        try await store.moveGrants(from: GrantKey(.registeredModel, name), toId: newName)
    }

    /// Drops grants on a deleted registered model, so a new model of that name starts without them.
    public func deletedModel(_ name: String) async throws {
        try await store.removeGrants(on: GrantKey(.registeredModel, name))
    }

    /// Appends an event to the audit log as the current caller (`-` without authentication).
    public func audit(_ action: String, _ resourceType: String, _ resourceId: String, _ detail: String = "")
        async throws
    {
        try await store.appendAudit(
            AuditEvent(
                time: WallClock.nowMillis(), username: Caller.current?.username ?? "-", address: Caller.address,
                action: action, resourceType: resourceType, resourceId: resourceId, detail: detail))
    }
}

/// Run id → experiment id, bounded.
final class RunExperimentCache: Sendable {
    private let map = Mutex<[String: String]>([:])

    func lookup(_ runId: String) -> String? { map.withLock { $0[runId] } }

    func store(_ runId: String, _ experimentId: String) {
        map.withLock { m in
            if m.count >= 100_000 { m.removeAll(keepingCapacity: true) }
            m[runId] = experimentId
        }
    }
}
