import CairnAuth
import CairnCore
import CairnStore
import CairnStoreFactory
import CairnStoreSQL
import Testing

@Suite struct AuthStoreTests {
    static let fast = PasswordHasher(logN: 10, blockSize: 8, parallelism: 1)

    @Test(arguments: StoreBackend.all) func usersGrantsAndCascades(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let auth = AuthService(store: store, hasher: Self.fast)
            let ana = try await auth.createUser(username: "ana", password: "password-1", isAdmin: false)
            await #expect(throws: MlflowError.self) {
                try await auth.createUser(username: "ana", password: "password-2", isAdmin: false)
            }
            #expect(try await store.adminCount() == 0)
            try await auth.setAdmin(username: "ana", isAdmin: true)
            #expect(try await store.adminCount() == 1)
            let caller = try await auth.authenticate(username: "ana", password: "password-1", address: "a")
            #expect(caller.userId == ana.id && caller.isAdmin)
            await #expect(throws: MlflowError.self) {
                try await auth.authenticate(username: "ana", password: "wrong-pass", address: "a")
            }
            await #expect(throws: MlflowError.self) {
                try await auth.authenticate(username: "nobody", password: "password-1", address: "a")
            }

            try await auth.grant(username: "ana", key: GrantKey(.experiment, "3"), permission: .edit)
            try await auth.grant(username: "ana", key: GrantKey(.experiment, "3"), permission: .read)
            try await auth.grant(username: "ana", key: GrantKey(.registeredModel, "churn"), permission: .manage)
            #expect(
                try await store.grants(userId: ana.id)
                    == [GrantKey(.experiment, "3"): .read, GrantKey(.registeredModel, "churn"): .manage])
            try await store.moveGrants(from: GrantKey(.registeredModel, "churn"), toId: "churn2")
            #expect(try await store.listGrants(username: "ana").map(\.key.id) == ["3", "churn2"])
            try await auth.revoke(username: "ana", key: GrantKey(.experiment, "3"))
            await #expect(throws: MlflowError.self) {
                try await auth.revoke(username: "ana", key: GrantKey(.experiment, "3"))
            }
            try await store.removeGrants(on: GrantKey(.registeredModel, "churn2"))
            #expect(try await store.listGrants(username: nil).isEmpty)

            try await auth.grant(username: "ana", key: GrantKey(.workspace, "*"), permission: .use)
            let (token, secret) = try await auth.createToken(username: "ana", name: "ci", lifetimeMillis: 60_000)
            #expect(try await auth.authenticate(token: secret, address: "a").username == "ana")
            try await auth.deleteUser(username: "ana")
            #expect(try await store.user(named: "ana") == nil)
            #expect(try await store.listGrants(username: nil).isEmpty, "grants go with the user")
            #expect(try await store.listTokens(username: nil).isEmpty, "tokens go with the user")
            await #expect(throws: MlflowError.self) { try await auth.authenticate(token: secret, address: "a") }
            _ = token
        }
    }

    @Test(arguments: StoreBackend.all) func tokensExpireAndAreRevoked(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let auth = AuthService(store: store, hasher: Self.fast)
            try await auth.createUser(username: "ci", password: "password-1", isAdmin: false)
            let (live, secret) = try await auth.createToken(username: "ci", name: "", lifetimeMillis: nil)
            let (_, expired) = try await auth.createToken(username: "ci", name: "old", lifetimeMillis: -1)
            #expect(try await auth.authenticate(token: secret, address: "a").method == .token(id: live.id))
            await #expect(throws: MlflowError.self) { try await auth.authenticate(token: expired, address: "a") }
            await #expect(throws: MlflowError.self) { try await auth.authenticate(token: "cairn_nope", address: "a") }
            #expect(try await store.revokeToken(id: live.id, at: WallClock.nowMillis()))
            #expect(try await !store.revokeToken(id: live.id, at: WallClock.nowMillis()))
            await #expect(throws: MlflowError.self) { try await auth.authenticate(token: secret, address: "a") }
            #expect(try await store.listTokens(username: "ci").count == 2)
            await #expect(throws: MlflowError.self) {
                try await auth.createToken(username: "ghost", name: "", lifetimeMillis: nil)
            }
        }
    }

    @Test(arguments: StoreBackend.all) func sessionsEndOnSignOutAndPasswordChange(_ backend: StoreBackend) async throws
    {
        try await withTemporaryStore(backend) { store, _ in
            let auth = AuthService(store: store, hasher: Self.fast)
            try await auth.createUser(username: "bo", password: "password-1", isAdmin: false)
            let (cookie, caller) = try await auth.signIn(username: "bo", password: "password-1", address: "a")
            guard case .session(let formToken) = caller.method else {
                Issue.record("not a session")
                return
            }
            #expect(formToken.count == 32)
            #expect(try await auth.authenticate(sessionCookie: cookie, address: "a")?.method == caller.method)
            try await auth.signOut(sessionCookie: cookie)
            #expect(try await auth.authenticate(sessionCookie: cookie, address: "a") == nil)
            let (second, _) = try await auth.signIn(username: "bo", password: "password-1", address: "a")
            try await auth.setPassword(username: "bo", password: "password-2")
            #expect(try await auth.authenticate(sessionCookie: second, address: "a") == nil)
            // The old password no longer works even though it was cached by the sign-in.
            await #expect(throws: MlflowError.self) {
                try await auth.authenticate(username: "bo", password: "password-1", address: "a")
            }
        }
    }

    @Test(arguments: StoreBackend.all) func auditEventsAreKeptInOrder(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            for (i, user) in ["ana", "bo", "ana"].enumerated() {
                try await store.appendAudit(
                    AuditEvent(
                        time: 1000 + Int64(i), username: user, address: "10.0.0.\(i)", action: "experiments/delete",
                        resourceType: "experiment", resourceId: "\(i)", detail: ""))
            }
            #expect(
                try await store.auditEvents(since: 0, username: nil, limit: 10).map(\.resourceId) == ["0", "1", "2"])
            #expect(try await store.auditEvents(since: 1001, username: nil, limit: 10).map(\.resourceId) == ["1", "2"])
            #expect(try await store.auditEvents(since: 0, username: "ana", limit: 1).map(\.address) == ["10.0.0.0"])
        }
    }

    @Test(arguments: StoreBackend.all) func searchesHonourVisibility(_ backend: StoreBackend) async throws {
        try await withTemporaryStore(backend) { store, _ in
            let a = try await store.createExperiment(name: "a", artifactLocation: nil, tags: [])
            let b = try await store.createExperiment(name: "b", artifactLocation: nil, tags: [])
            var q = ExperimentQuery(viewType: .activeOnly)
            q.visible = .only([a])
            #expect(try await store.searchExperiments(q).items.map(\.name) == ["a"])
            q.visible = .except([a, "0"])
            #expect(try await store.searchExperiments(q).items.map(\.name) == ["b"])
            q.visible = .only([])
            #expect(try await store.searchExperiments(q).items.isEmpty)
            _ = try await store.createRegisteredModel(name: "m1", tags: [], description: nil)
            _ = try await store.createRegisteredModel(name: "m2", tags: [], description: nil)
            var mq = RegisteredModelQuery()
            mq.visible = .except(["m1"])
            #expect(try await store.searchRegisteredModels(mq).items.map(\.name) == ["m2"])
            _ = b
        }
    }
}
