import APIKeys
import Authz
import Foundation
import Identity
import Testing

/// The API-key lifecycle of docs/API.md §2 and §5 on both stores: who may create which key, the
/// state machine (active, disabled, revoked; rotation once, with grace), the audit records,
/// and organization keys surviving a restart as resources of their organization.
@Suite struct APIKeyStoreTests {
    static let cheap = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)

    @Test(arguments: Backend.enabled)
    func lifecycle(_ backend: Backend) async throws {
        try await backend.run(APIKeyLifecycle())
    }

    @Test(arguments: Backend.enabled)
    func organizationKeys(_ backend: Backend) async throws {
        try await backend.run(OrganizationKeys())
    }

    @Test(arguments: Backend.enabled)
    func aServicePrincipalLeavesWithItsLastKey(_ backend: Backend) async throws {
        try await backend.run(ServicePrincipalLeavesWithItsLastKey())
    }

    @Test(arguments: Backend.enabled)
    func idempotencyRecords(_ backend: Backend) async throws {
        try await backend.run(IdempotencyRecords())
    }
}

struct APIKeyLifecycle: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let ada = try await h.user("ada")
        let hasher = APIKeyStoreTests.cheap
        let expiry = h.clock.now.addingTimeInterval(86_400)
        let (issued, _) = try await h.service.createAPIKey(
            name: " ci ",
            organization: nil,
            role: nil,
            scopes: ["job.read"],
            expiresAt: expiry,
            actor: ada,
            hasher: hasher
        )
        let key = try #require(APIKey(parsing: issued.key))
        #expect(key.id == issued.record.id && issued.record.name == "ci" && issued.record.principalID == ada)
        #expect(issued.record.secretHash.hasPrefix("$argon2id$") && PasswordHasher.verify(key.secret, against: issued.record.secretHash))

        // Bad input, each with its field.
        await #expect(throws: IdentityError.invalid(field: "expires_at", message: "must be in the future")) {
            _ = try await h.service.createAPIKey(
                name: "x",
                organization: nil,
                role: nil,
                scopes: nil,
                expiresAt: h.clock.now,
                actor: ada,
                hasher: hasher
            )
        }
        await #expect(throws: IdentityError.invalid(field: "scopes[1]", message: "unknown permission 'job.fly'")) {
            _ = try await h.service.createAPIKey(
                name: "x",
                organization: nil,
                role: nil,
                scopes: ["job.read", "job.fly"],
                expiresAt: nil,
                actor: ada,
                hasher: hasher
            )
        }
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.createAPIKey(name: "x", organization: nil, role: "admin", scopes: nil, expiresAt: nil, actor: ada, hasher: hasher)
        }
        await #expect(throws: IdentityError.invalid(field: "name", message: "must be 1 to 100 characters")) {
            _ = try await h.service.createAPIKey(name: "  ", organization: nil, role: nil, scopes: nil, expiresAt: nil, actor: ada, hasher: hasher)
        }

        // Disable and enable; revoke is final.
        #expect(try await h.service.disableAPIKey(key.id, actor: ada).0.status == .disabled)
        #expect(try await h.service.enableAPIKey(key.id, actor: ada).0.status == .active)

        // Rotation keeps name, scopes and expiry; the old key lives until the grace ends.
        let (rotated, _) = try await h.service.rotateAPIKey(key.id, gracePeriod: 60, actor: ada, hasher: hasher)
        #expect(rotated.record.name == "ci" && rotated.record.scopes == ["job.read"] && rotated.record.expiresAt == expiry)
        let old = try #require(try await h.service.apiKey(key.id))
        #expect(old.replacedBy == rotated.record.id && old.expiresAt == h.clock.now.addingTimeInterval(60) && old.isUsable(at: h.clock.now))
        #expect(!old.isUsable(at: h.clock.now.addingTimeInterval(60)))
        await #expect(throws: IdentityError.conflict("the key was already rotated; rotate its replacement")) {
            _ = try await h.service.rotateAPIKey(key.id, gracePeriod: 0, actor: ada, hasher: hasher)
        }
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.rotateAPIKey(rotated.record.id, gracePeriod: 604_801, actor: ada, hasher: hasher)
        }
        // Grace 0: the old key is revoked at once.
        let (again, _) = try await h.service.rotateAPIKey(rotated.record.id, gracePeriod: 0, actor: ada, hasher: hasher)
        #expect(try await h.service.apiKey(rotated.record.id)?.status == .revoked)

        _ = try await h.service.revokeAPIKey(again.record.id, actor: ada)
        await #expect(throws: IdentityError.conflict("a revoked key cannot be enabled again")) {
            _ = try await h.service.enableAPIKey(again.record.id, actor: ada)
        }
        #expect(try await h.service.revokeAPIKey(again.record.id, actor: ada).0.status == .revoked)

        let personal = try await h.service.personalAPIKeys(of: ada, after: nil, limit: 10)
        #expect(Set(personal.map(\.id)) == [key.id, rotated.record.id, again.record.id])

        // Every step is in the audit log, with no secret in it.
        let origin = AuditContext(actorID: nil, requestID: UUID(), clientAddress: "10.0.0.1", userAgent: "curl/8")
        try await h.service.recordFailedAuthentication(keyID: key.id, reason: "wrong secret", origin: origin)
        let all = try await h.service.auditRecords(organization: nil, after: 0, limit: 100).map(\.event)
        #expect(all.first?.action == "principal.created")  // identity mutations are audited too
        let events = all.filter { $0.targetType == "api_key" || $0.action == "authentication.failed" }
        #expect(
            events.map(\.action) == [
                "api_key.created", "api_key.disabled", "api_key.enabled", "api_key.rotated", "api_key.rotated", "api_key.revoked",
                "authentication.failed",
            ]
        )
        #expect(events.allSatisfy { $0.targetType == "api_key" || $0.targetType == nil })
        #expect(events[3].data["grace_period_seconds"] == "60" && events.last?.data == ["reason": "wrong secret"])
        #expect(events.last?.outcome == .denied && events.dropLast().allSatisfy { $0.outcome == .success })
        #expect(
            events.last?.context
                == AuditContext(actorID: nil, keyID: key.id, requestID: origin.requestID, clientAddress: "10.0.0.1", userAgent: "curl/8")
        )
        #expect(events.first?.actorID == ada)

        // last_used_at.
        try await h.service.recordUse(ofKey: again.record.id, at: h.clock.now)
        #expect(try await h.service.apiKey(again.record.id)?.lastUsedAt == h.clock.now)
    }
}

struct OrganizationKeys: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let adam = try await h.user("adam")
        let mia = try await h.user("mia")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        _ = try await h.service.addMember(organization: acme.id, principal: adam, role: "admin", actor: olivia)
        _ = try await h.service.addMember(organization: acme.id, principal: mia, role: "member", actor: olivia)
        let hasher = APIKeyStoreTests.cheap

        // Member by default, as a service principal of its own.
        let (issued, _) = try await h.service.createAPIKey(
            name: "deployer",
            organization: acme.id,
            role: nil,
            scopes: nil,
            expiresAt: nil,
            actor: mia,
            hasher: hasher
        )
        #expect(issued.record.role == "member" && issued.record.principalID != mia && issued.record.createdBy == mia)
        let service = try #require(try await h.service.principal(issued.record.principalID))
        #expect(service.kind == .service && service.name == "deployer")
        #expect(h.service.snapshot.role(of: service.id, in: acme.id)?.name == "member")

        // No role above one's own; only owners grant owner.
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.createAPIKey(
                name: "x",
                organization: acme.id,
                role: "admin",
                scopes: nil,
                expiresAt: nil,
                actor: mia,
                hasher: hasher
            )
        }
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.createAPIKey(
                name: "x",
                organization: acme.id,
                role: "owner",
                scopes: nil,
                expiresAt: nil,
                actor: adam,
                hasher: hasher
            )
        }
        // Service principals hold no personal keys.
        await #expect(throws: IdentityError.forbidden("only users hold personal keys")) {
            _ = try await h.service.createAPIKey(
                name: "x",
                organization: nil,
                role: nil,
                scopes: nil,
                expiresAt: nil,
                actor: service.id,
                hasher: hasher
            )
        }

        // The key is a resource of its organization, with its creator: the policy guards it.
        let policy = h.service.policy
        let type = try #require(policy.resourceType(named: "api_key")).id
        let manage = try #require(policy.permission(named: "api_key.manage"))
        func allowed(_ who: UUID, _ id: UUID) -> Bool {
            h.service.snapshot.check(CheckRequest(subject: who, permission: manage, resource: .stored(type: type, id: id))).allowed
        }
        #expect(allowed(mia, issued.record.id) && allowed(adam, issued.record.id))
        let (rotated, _) = try await h.service.rotateAPIKey(issued.record.id, gracePeriod: 10, actor: adam, hasher: hasher)
        #expect(rotated.record.principalID == service.id && rotated.record.role == "member" && rotated.record.createdBy == mia)
        #expect(allowed(mia, rotated.record.id))
        #expect(try await h.service.organizationAPIKeys(acme.id, after: nil, limit: 10).count == 2)

        // After a restart the snapshot still knows both keys (and their creator).
        let restarted = try await h.reopen()
        #expect(
            restarted.service.snapshot.check(CheckRequest(subject: mia, permission: manage, resource: .stored(type: type, id: rotated.record.id)))
                .allowed
        )
        await restarted.stop()
    }
}

struct IdempotencyRecords: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let ada = try await h.user("ada")
        let bob = try await h.user("bob")
        let key = Digest.blake2b(Array("key".utf8))
        let body = Digest.blake2b(Array("body".utf8))
        let other = Digest.blake2b(Array("other".utf8))
        #expect(try await h.service.beginIdempotentRequest(principal: ada, keyDigest: key, requestDigest: body) == .started)
        #expect(try await h.service.beginIdempotentRequest(principal: ada, keyDigest: key, requestDigest: body) == .inProgress)
        #expect(try await h.service.beginIdempotentRequest(principal: ada, keyDigest: key, requestDigest: other) == .mismatch)
        // Keys belong to their principal.
        #expect(try await h.service.beginIdempotentRequest(principal: bob, keyDigest: key, requestDigest: other) == .started)
        try await h.service.completeIdempotentRequest(principal: ada, keyDigest: key, sealedResponse: [1, 2, 3])
        #expect(
            try await h.service.beginIdempotentRequest(principal: ada, keyDigest: key, requestDigest: body) == .replay(sealedResponse: [1, 2, 3])
        )
        // An abandoned request frees its key; after 24 hours every key is free again.
        try await h.service.abandonIdempotentRequest(principal: bob, keyDigest: key)
        #expect(try await h.service.beginIdempotentRequest(principal: bob, keyDigest: key, requestDigest: body) == .started)
        h.clock.advance(hours: 24)
        #expect(try await h.service.beginIdempotentRequest(principal: ada, keyDigest: key, requestDigest: other) == .started)
        try await h.service.purgeIdempotencyRecords()
    }
}

/// An organization key's service principal exists for its keys: it stays a member while one
/// of them may still be used (rotated, disabled), leaves the organization and its teams, in
/// rows, snapshot and audit log, when the last is revoked, and stays when it is the last owner.
struct ServicePrincipalLeavesWithItsLastKey: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        let (red, _) = try await h.service.createTeam(organization: acme.id, name: "Red")
        let hasher = APIKeyStoreTests.cheap
        let (first, _) = try await h.service.createAPIKey(
            name: "gateway",
            organization: acme.id,
            role: "admin",
            scopes: nil,
            expiresAt: nil,
            actor: olivia,
            hasher: hasher
        )
        let service = first.record.principalID
        _ = try await h.service.setTeamMember(team: red.id, principal: service, role: "member", actor: olivia)

        // Rotated without grace (the old key revoked at once), then disabled: still a member.
        let (second, _) = try await h.service.rotateAPIKey(first.record.id, gracePeriod: 0, actor: olivia, hasher: hasher)
        _ = try await h.service.disableAPIKey(second.record.id, actor: olivia)
        _ = try await h.service.revokeAPIKey(first.record.id, actor: olivia)
        #expect(h.service.snapshot.role(of: service, in: acme.id)?.name == "admin")
        #expect(try await h.service.members(organization: acme.id, after: nil, limit: 10).map(\.principalID).contains(service))

        // The last key revoked: out of the organization and its team, and the log says so.
        let (_, revision) = try await h.service.revokeAPIKey(second.record.id, actor: olivia)
        #expect(h.service.snapshot.role(of: service, in: acme.id) == nil && h.service.snapshot.teamRole(of: service, in: red.id) == nil)
        #expect(try await h.service.members(organization: acme.id, after: nil, limit: 10).map(\.principalID) == [olivia])
        #expect(try await h.service.teamMemberships(of: service).isEmpty)
        let change = try #require(try await h.store.changes(after: revision - 1, limit: 1).first)
        #expect(change.entries.contains(.memberRemoved(organization: acme.id, principal: service, role: "admin")))
        let audit = try await h.service.auditRecords(organization: acme.id, after: 0, limit: 100)
        #expect(audit.contains { $0.event.action == "member.removed" && $0.event.targetID == service })

        // A service principal that is the last owner stays one.
        let (globex, _) = try await h.service.createOrganization(name: "Globex", slug: nil, creator: olivia)
        let (owner, _) = try await h.service.createAPIKey(
            name: "owner",
            organization: globex.id,
            role: "owner",
            scopes: nil,
            expiresAt: nil,
            actor: olivia,
            hasher: hasher
        )
        _ = try await h.service.removeMember(organization: globex.id, principal: olivia, actor: olivia)
        _ = try await h.service.revokeAPIKey(owner.record.id, actor: olivia)
        #expect(h.service.snapshot.role(of: owner.record.principalID, in: globex.id)?.name == "owner")
    }
}
