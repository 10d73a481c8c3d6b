import Foundation
import Testing

@testable import Authz

@Suite struct SnapshotTests {
    let w: World

    init() throws {
        self.w = try World()
    }

    /// A change is visible in the new snapshot and not in the old one, and every organization
    /// it did not touch is the very same object in both.
    @Test func changeVisibleOnlyInNextSnapshotAndOthersShared() throws {
        let old = w.snapshot
        let next = try old.applying([.memberSet(organization: w.acme, principal: w.viewer, role: "admin")], revision: 2)
        #expect(next.revision == 2 && old.revision == 1)
        #expect(old.role(of: w.viewer, in: w.acme)?.name == "viewer")
        #expect(next.role(of: w.viewer, in: w.acme)?.name == "admin")
        #expect(next.organizations[w.globex]! === old.organizations[w.globex]!)
        #expect(next.organizations[w.acme]! !== old.organizations[w.acme]!)
        // Within the changed organization, the untouched indexes are shared too.
        #expect(next.organizations[w.acme]!.teams.sharesStorage(with: old.organizations[w.acme]!.teams))
        #expect(!next.organizations[w.acme]!.members.sharesStorage(with: old.organizations[w.acme]!.members))
        #expect(next.policy === old.policy)
    }

    @Test func removingAMemberEndsTheirTeamMemberships() throws {
        let next = try w.snapshot.applying([.memberRemoved(organization: w.acme, principal: w.maintainer)], revision: 2)
        #expect(next.teamRole(of: w.maintainer, in: w.red) == nil)
        #expect(w.snapshot.teamRole(of: w.maintainer, in: w.red)?.name == "maintainer")
        #expect(next.teamRole(of: w.teamMember, in: w.red)?.name == "member")
    }

    @Test func deletingATeamRemovesItsGrants() throws {
        let next = try w.snapshot.applying([.teamDeleted(team: w.red)], revision: 2)
        let request = CheckRequest(
            subject: w.maintainer,
            permission: Fixtures.permission("job.cancel"),
            resource: .stored(type: Fixtures.type("job"), id: w.redJob)
        )
        #expect(w.snapshot.check(request).allowed)
        #expect(next.check(request).denial == .noGrant)
        #expect(next.resolve(.stored(type: Fixtures.type("team"), id: w.red)) == nil)
    }

    @Test func deletingAnOrganizationRemovesEverythingInIt() throws {
        let next = try w.snapshot.applying([.organizationDeleted(w.acme)], revision: 2)
        #expect(next.resolve(.stored(type: Fixtures.type("job"), id: w.redJob)) == nil)
        #expect(next.resolve(.stored(type: Fixtures.type("team"), id: w.red)) == nil)
        #expect(next.resolve(.stored(type: Fixtures.type("job"), id: w.globexJob)) != nil)
        #expect(next.organizationCount == 1)
    }

    @Test func resourcesMoveBetweenTeamsAndAreDeleted() throws {
        let moved = try w.snapshot.applying([.resourceMoved(type: "job", id: w.redJob, team: w.blue)], revision: 2)
        #expect(moved.resolve(.stored(type: Fixtures.type("job"), id: w.redJob))?.team == w.blue)
        let request = CheckRequest(
            subject: w.maintainer,
            permission: Fixtures.permission("job.cancel"),
            resource: .stored(type: Fixtures.type("job"), id: w.redJob)
        )
        #expect(moved.check(request).denial == .noGrant)
        let deleted = try moved.applying([.resourceDeleted(type: "job", id: w.redJob)], revision: 3)
        #expect(deleted.check(request).denial == .resourceNotFound)
        #expect(deleted.resourceCount == w.snapshot.resourceCount - 1)
    }

    @Test func teamChangesApplyOnlyInTheirOrganization() throws {
        let next = try w.snapshot.applying(
            [.teamMemberSet(team: w.blue, principal: w.viewer, role: "maintainer"), .teamMemberRemoved(team: w.red, principal: w.teamOnly)],
            revision: 2
        )
        #expect(next.teamRole(of: w.viewer, in: w.blue)?.name == "maintainer")
        #expect(next.teamRole(of: w.teamOnly, in: w.red) == nil)
        #expect(next.organizations[w.globex]! === w.snapshot.organizations[w.globex]!)
    }

    @Test func rejectsWhatTheLogAndPolicyDisagreeOn() {
        let s = w.snapshot
        #expect(throws: SnapshotError.staleRevision(current: 1, offered: 1)) { try s.applying([], revision: 1) }
        #expect(throws: SnapshotError.unknownRole(type: "organization", role: "superuser")) {
            try s.applying([.memberSet(organization: w.acme, principal: UUID(), role: "superuser")], revision: 2)
        }
        let nowhere = UUID()
        #expect(throws: SnapshotError.unknownOrganization(nowhere)) {
            try s.applying([.memberSet(organization: nowhere, principal: UUID(), role: "viewer")], revision: 2)
        }
        #expect(throws: SnapshotError.teamNotAllowed(team: w.green, type: "job")) {
            try s.applying([.resourceCreated(type: "job", id: UUID(), organization: w.acme, team: w.green, creator: nil)], revision: 2)
        }
        #expect(throws: SnapshotError.notAStoredResourceType("document")) {
            try s.applying([.resourceCreated(type: "document", id: UUID(), organization: w.acme, team: nil, creator: nil)], revision: 2)
        }
    }

    @Test func replayingCreationsAndRemovalsIsHarmless() throws {
        let next = try w.snapshot.applying(
            [.organizationCreated(w.acme), .teamCreated(organization: w.acme, team: w.red), .memberRemoved(organization: w.acme, principal: UUID())],
            revision: 2
        )
        #expect(next.teamRole(of: w.maintainer, in: w.red)?.name == "maintainer")
        #expect(next.role(of: w.owner, in: w.acme)?.name == "owner")
    }
}
