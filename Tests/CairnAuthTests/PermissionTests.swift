import CairnAuth
import CairnCore
import Testing

@Suite struct PermissionTests {
    @Test func levelsGrantMlflowsCapabilities() {
        let table: [(Permission, [Capability])] = [
            (.deny, []), (.noPermissions, []), (.read, [.read]), (.use, [.read, .use]),
            (.edit, [.read, .use, .update]), (.manage, Capability.allCases),
        ]
        for (level, allowed) in table {
            for capability in Capability.allCases {
                #expect(level.allows(capability) == allowed.contains(capability), "\(level) \(capability)")
            }
        }
        #expect(throws: MlflowError.self) { try Permission(parsing: "WRITE") }
        #expect(throws: MlflowError.self) { try ResourceType(parsing: "scorer") }
        #expect(throws: MlflowError.self) { try ResourceType.workspace.validate(resourceId: "3") }
    }

    @Test func theMostSpecificGrantWins() {
        let resolver = PermissionResolver(defaultPermission: .read)
        var grants: [GrantKey: Permission] = [:]
        #expect(resolver.resolve(type: .experiment, id: "1", isAdmin: false, grants: grants) == .read)
        grants[GrantKey(.workspace, "*")] = .use
        #expect(resolver.resolve(type: .experiment, id: "1", isAdmin: false, grants: grants) == .use)
        grants[GrantKey(.experiment, "*")] = .noPermissions
        #expect(resolver.resolve(type: .experiment, id: "1", isAdmin: false, grants: grants) == .noPermissions)
        #expect(resolver.resolve(type: .registeredModel, id: "m", isAdmin: false, grants: grants) == .use)
        grants[GrantKey(.experiment, "1")] = .edit
        #expect(resolver.resolve(type: .experiment, id: "1", isAdmin: false, grants: grants) == .edit)
        grants[GrantKey(.experiment, "2")] = .deny
        #expect(resolver.resolve(type: .experiment, id: "2", isAdmin: false, grants: grants) == .deny)
        #expect(resolver.resolve(type: .experiment, id: "2", isAdmin: true, grants: grants) == .manage)
    }

    @Test func visibilityListsTheExceptionsToTheBaseLevel() {
        let readAll = PermissionResolver(defaultPermission: .read)
        #expect(readAll.visibility(of: .experiment, isAdmin: false, grants: [:]) == .all)
        let denied: [GrantKey: Permission] = [GrantKey(.experiment, "2"): .deny, GrantKey(.experiment, "3"): .edit]
        #expect(readAll.visibility(of: .experiment, isAdmin: false, grants: denied) == .except(["2"]))
        let none = PermissionResolver(defaultPermission: .noPermissions)
        let v = none.visibility(of: .experiment, isAdmin: false, grants: denied)
        #expect(v == .only(["3"]))
        #expect(v.contains("3") && !v.contains("2") && !v.contains("4"))
        #expect(none.visibility(of: .experiment, isAdmin: true, grants: [:]) == .all)
        let wildcard: [GrantKey: Permission] = [GrantKey(.registeredModel, "*"): .read]
        #expect(none.visibility(of: .registeredModel, isAdmin: false, grants: wildcard) == .all)
    }
}

@Suite struct SecretsTests {
    @Test func passwordHashesVerifyAndRefuseTampering() throws {
        let fast = PasswordHasher(logN: 10, blockSize: 8, parallelism: 1)
        let stored = try fast.hash("correct horse battery")
        #expect(stored.hasPrefix("scrypt$1024$8$1$"))
        #expect(fast.verify("correct horse battery", against: stored))
        #expect(!fast.verify("correct horse batterY", against: stored))
        #expect(try fast.hash("correct horse battery") != stored, "salts differ")
        // The parameters come from the stored string, so a hash made with other ones still verifies.
        #expect(PasswordHasher.standard.verify("correct horse battery", against: stored))
        for bad in ["", "scrypt$1024$8$1$AAAA", "md5$x", "scrypt$1023$8$1$AAAA$AAAA", "scrypt$4194304$8$1$AA$AA"] {
            #expect(!fast.verify("x", against: bad), "\(bad)")
        }
    }

    @Test func tokensAreRandomAndStoredAsDigests() {
        let a = SecretToken.make(prefix: SecretToken.apiPrefix)
        let b = SecretToken.make(prefix: SecretToken.apiPrefix)
        #expect(a != b && a.hasPrefix("cairn_") && a.count == 6 + 43)
        #expect(!a.contains("+") && !a.contains("/") && !a.contains("="))
        #expect(SecretToken.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecretToken.makeId().hasPrefix("tok_") && SecretToken.makeId().count == 14)
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]) && !ConstantTime.equal([1, 2], [1, 3]))
    }

    @Test func failedSignInsAreLimitedPerUserAndAddress() throws {
        let throttle = LoginThrottle(userLimit: 3, addressLimit: 5, windowMillis: 60_000)
        for i in 0..<3 {
            try throttle.check(username: "ana", address: "10.0.0.1", now: Int64(i))
            throttle.failed(username: "ana", address: "10.0.0.1", now: Int64(i))
        }
        #expect(throws: MlflowError.self) { try throttle.check(username: "ana", address: "10.0.0.2", now: 10) }
        // Another user from the same address still has tries left until the address limit.
        try throttle.check(username: "bo", address: "10.0.0.1", now: 10)
        throttle.failed(username: "bo", address: "10.0.0.1", now: 10)
        throttle.failed(username: "bo", address: "10.0.0.1", now: 11)
        let refusal = Result { () throws(MlflowError) in
            try throttle.check(username: "cy", address: "10.0.0.1", now: 12)
        }
        guard case .failure(let error) = refusal else {
            Issue.record("the address limit did not apply")
            return
        }
        #expect(error.code == .requestLimitExceeded && error.code.httpStatus == 429)
        #expect(error.message.contains("try again in 60 s"))
        // After the window the oldest failures no longer count.
        try throttle.check(username: "ana", address: "10.0.0.3", now: 60_003)
        throttle.succeeded(username: "ana")
        try throttle.check(username: "ana", address: "10.0.0.3", now: 20)
    }

    @Test func namesAndPasswordsAreChecked() {
        #expect(throws: MlflowError.self) { try AuthService.validate(username: "") }
        #expect(throws: MlflowError.self) { try AuthService.validate(username: "a:b") }
        #expect(throws: MlflowError.self) { try AuthService.validate(username: "a\u{0}b") }
        #expect(throws: MlflowError.self) { try AuthService.validate(password: "short") }
        #expect(throws: Never.self) { try AuthService.validate(password: "long enough") }
    }
}
