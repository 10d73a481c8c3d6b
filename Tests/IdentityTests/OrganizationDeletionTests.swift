import APIKeys
import Authz
import Foundation
import Identity
import JSON
import NIOCore
import Testing
import Workloads

/// Deleting an organization on both stores: everything in it goes in one transaction, the
/// change log names what ended, contents no other organization shares are removed, and the
/// audit log stays and still verifies.
@Suite struct OrganizationDeletionTests {
    @Test(arguments: Backend.enabled)
    func deletesEverythingButTheAuditLog(_ backend: Backend) async throws {
        try await backend.run(OrganizationDeletion())
    }
}

struct OrganizationDeletion: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-blobs-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let assets = AssetService(identity: h.service, blobs: BlobStore(folder: folder), limit: 1_000)
        let jobs = JobService(identity: h.service)
        let (owner, organization, team) = try await jobWorld(h)
        let (_, other, _) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        let member = try await h.user("member")
        _ = try await h.service.addMember(organization: organization, principal: member, role: "member", actor: owner)
        _ = try await h.service.setTeamMember(team: team, principal: member, role: "member", actor: owner)
        let (key, _) = try await h.service.createAPIKey(
            name: "ci",
            organization: organization,
            role: "member",
            scopes: nil,
            expiresAt: nil,
            actor: owner,
            hasher: APIKeyStoreTests.cheap
        )
        let (invitation, _, _) = try await h.service.createInvitation(
            organization: organization,
            email: "new@example.com",
            role: "member",
            team: nil,
            teamRole: nil,
            expiresInHours: nil,
            actor: owner
        )
        let (job, _) = try await jobs.submit(
            organization: organization,
            team: team,
            provider: "echo",
            input: ["text": .string("x")],
            creator: owner,
            audit: audit
        )
        func upload(_ text: String, to organization: UUID) async throws -> Asset {
            let received = try await assets.blobs.receive([ByteBuffer(string: text)].async, limit: assets.limit)
            return try await assets.create(
                received,
                organization: organization,
                team: nil,
                name: "a.txt",
                contentType: "text/plain",
                creator: owner,
                audit: audit
            ).0
        }
        let own = try await upload("only acme's", to: organization)
        let shared = try await upload("both", to: organization)
        _ = try await upload("both", to: other)

        // A missing organization is not found; nothing is written.
        let before = h.service.snapshot.revision
        await #expect(throws: IdentityError.notFound("organization")) { try await assets.deleteOrganization(UUID(), audit: audit) }
        #expect(h.service.snapshot.revision == before)

        let revision = try await assets.deleteOrganization(organization, audit: audit)
        #expect(h.service.snapshot.revision == revision)
        #expect(try await h.service.organization(organization) == nil)
        #expect(try await h.service.team(team) == nil)
        #expect(try await h.service.invitation(invitation.id) == nil)
        #expect(try await h.service.apiKey(key.record.id) == nil)
        #expect(try await h.service.memberships(of: member).isEmpty)
        #expect(try await jobs.job(job.id) == nil)
        #expect(try await assets.asset(own.id) == nil)
        #expect(try await assets.asset(shared.id) == nil)
        // Its content goes; content another organization still holds stays.
        #expect(!FileManager.default.fileExists(atPath: assets.blobs.path(of: own.sha256)))
        #expect(FileManager.default.fileExists(atPath: assets.blobs.path(of: shared.sha256)))
        // The snapshot knows nothing of it or its resources; the other organization is untouched.
        let snapshot = h.service.snapshot
        let jobType = try #require(snapshot.policy.resourceType(named: "job")).id
        #expect(snapshot.resolve(.stored(type: snapshot.policy.organizationType, id: organization)) == nil)
        #expect(snapshot.resolve(.stored(type: snapshot.policy.teamType, id: team)) == nil)
        #expect(snapshot.resolve(.stored(type: jobType, id: job.id)) == nil)
        #expect(snapshot.resolve(.stored(type: snapshot.policy.organizationType, id: other)) != nil)

        // One change-log entry names what ended with it, and one audit record counts it.
        let records = try await h.service.auditRecords(organization: organization, after: 0, limit: 1_000)
        let deleted = try #require(records.last?.event)
        #expect(deleted.action == "organization.deleted" && deleted.targetID == organization)
        #expect(deleted.data == ["name": "Acme", "members": "3", "api_keys": "1", "jobs_cancelled": "1", "workflow_runs_cancelled": "0"])
        #expect(records.count > 5)
        let verification = try await h.service.verifyAudit()
        guard case .intact = verification else {
            Issue.record("\(verification)")
            return
        }
        await #expect(throws: IdentityError.notFound("organization")) { try await assets.deleteOrganization(organization, audit: audit) }

        // A restart builds the same snapshot from the rows that remain.
        let reopened = try await h.reopen()
        #expect(reopened.service.snapshot.resolve(.stored(type: snapshot.policy.organizationType, id: organization)) == nil)
        #expect(reopened.service.snapshot.resolve(.stored(type: snapshot.policy.organizationType, id: other)) != nil)
        await reopened.stop()
    }
}
