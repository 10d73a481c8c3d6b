import Authz
import Foundation
import Identity
import Stores
import Testing

/// A store's start reads its rows on one thread and applies them on another, thousands at a
/// time: what it loads must be what a row-by-row load would.
@Suite struct SnapshotLoadTests {
    /// A world of several thousand rows (more than one hand-over) loads whole and in order.
    @Test(arguments: Backend.enabled)
    func aLargeStoreLoadsWhole(_ backend: Backend) async throws {
        try await backend.run(LargeStoreLoadsWhole())
    }

    /// Of two bad rows, the first in the order they are read is the one reported: here a
    /// membership whose role the policy lacks (refused when applied) before a team whose
    /// organization id cannot be read (refused when read), though reading runs ahead of
    /// applying. SQLite only: PostgreSQL's typed columns cannot hold an unreadable id.
    @Test func theFirstBadRowIsTheOneReported() async throws {
        try await Backend.sqlite.run(FirstBadRowIsReported())
    }
}

/// Writes an organization with `count` members (roles in turn) and a team, in one transaction.
private func writeWorld<S: IdentityStore>(
    _ h: StoreHarness<S>,
    members count: Int
) async throws -> (
    organization: UUID, team: UUID, members: [(UUID, String)], revision: UInt64
) {
    let roles = ["owner", "admin", "member", "viewer"]
    let now = Date()
    let organization = UUID()
    let team = UUID()
    let members = (0..<count).map { index in (UUID(), roles[index % roles.count]) }
    let (_, revision) = try await h.store.write { transaction in
        try await transaction.insertOrganization(
            Organization(id: organization, name: "Large", slug: try Slug(validating: "large"), createdAt: now)
        )
        for (index, (principal, role)) in members.enumerated() {
            try await transaction.insertPrincipal(
                Principal(
                    id: principal,
                    kind: .user,
                    email: "u\(index)@example.com",
                    name: "User \(index)",
                    externalSubject: nil,
                    isPlatformAdmin: false,
                    createdAt: now
                )
            )
            try await transaction.insertMembership(Membership(organizationID: organization, principalID: principal, role: role, createdAt: now))
        }
        try await transaction.insertTeam(Team(id: team, organizationID: organization, name: "Team", createdAt: now))
        try await transaction.upsertTeamMember(TeamMember(teamID: team, principalID: members[1].0, role: "maintainer"))
        return ((), [ChangeLogEntry.organizationCreated(organization: organization, owner: members[0].0, ownerRole: "owner")])
    }
    return (organization, team, members, revision)
}

private struct LargeStoreLoadsWhole: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let world = try await writeWorld(h, members: 9_000)
        let snapshot = try await h.store.loadSnapshot(policy: DefaultPolicy.policy)
        #expect(snapshot.revision == world.revision)
        let wrong = world.members.filter { principal, role in snapshot.role(of: principal, in: world.organization)?.name != role }
        #expect(wrong.isEmpty, "\(wrong.count) of \(world.members.count) members loaded wrong")
        #expect(snapshot.teamRole(of: world.members[1].0, in: world.team)?.name == "maintainer")
    }
}

private struct FirstBadRowIsReported: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let world = try await writeWorld(h, members: 9_000)
        // The last membership: still waiting to be handed over when the teams are read.
        let late = world.members[world.members.count - 1].0.uuidString.lowercased()
        try await h.rawSQL("UPDATE memberships SET role = 'nobody' WHERE principal_id = '\(late)'")
        try await h.rawSQL("UPDATE teams SET organization_id = 'not-an-id' WHERE id = '\(world.team.uuidString.lowercased())'")
        await #expect(throws: SnapshotError.unknownRole(type: "organization", role: "nobody")) {
            try await h.store.loadSnapshot(policy: DefaultPolicy.policy)
        }
    }
}
