import Foundation
import Testing

@testable import Authz

/// A store's start builds its snapshot with `SnapshotLoader` and `PersistentMap`'s bulk
/// build; both must give exactly what applying the same changes one by one gives.
@Suite struct SnapshotLoaderTests {
    /// Random changes of every kind over a small world (so they collide: members removed,
    /// teams deleted under resources, resources moved, unknown roles and teams refused):
    /// after each one the loader and the incremental snapshot agree on success or on the
    /// error, and at the end on everything the snapshot holds.
    @Test(arguments: [1, 2, 3, 4, 5])
    func loadingAgreesWithApplyingOneByOne(seed: UInt64) throws {
        let policy = Fixtures.defaultPolicy
        var generator = SplitMix(seed: seed)
        let organizations = (0..<3).map { _ in UUID() }
        let teams = (0..<8).map { _ in UUID() }
        let principals = (0..<12).map { _ in UUID() }
        let resources = (0..<40).map { _ in UUID() }
        func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }
        func pickTeam() -> UUID? { generator.next() % 3 == 0 ? nil : pick(teams) }
        let organizationRoles = ["owner", "admin", "member", "viewer", "nonexistent"]
        let teamRoles = ["maintainer", "member", "nonexistent"]
        let types = ["job", "asset", "workflow_definition", "api_key", "team", "document"]

        var loader = SnapshotLoader(policy: policy)
        var snapshot = AuthzSnapshot(policy: policy)
        var applied = 0
        for step in 0..<3_000 {
            let change: SnapshotChange =
                switch generator.next() % 14 {
                case 0, 1: .organizationCreated(pick(organizations))
                case 2: step % 7 == 0 ? .organizationDeleted(pick(organizations)) : .organizationCreated(pick(organizations))
                case 3, 4: .memberSet(organization: pick(organizations), principal: pick(principals), role: pick(organizationRoles))
                case 5: .memberRemoved(organization: pick(organizations), principal: pick(principals))
                case 6: .teamCreated(organization: pick(organizations), team: pick(teams))
                case 7: step % 5 == 0 ? .teamDeleted(team: pick(teams)) : .teamCreated(organization: pick(organizations), team: pick(teams))
                case 8: .teamMemberSet(team: pick(teams), principal: pick(principals), role: pick(teamRoles))
                case 9: .teamMemberRemoved(team: pick(teams), principal: pick(principals))
                case 10, 11:
                    .resourceCreated(
                        type: pick(types),
                        id: pick(resources),
                        organization: pick(organizations),
                        team: pickTeam(),
                        creator: pick(principals)
                    )
                case 12:
                    generator.next() % 2 == 0 ? .resourceDeleted(type: pick(types), id: pick(resources)) : .platformAdminRevoked(pick(principals))
                default:
                    generator.next() % 2 == 0
                        ? .resourceMoved(type: pick(types), id: pick(resources), team: pickTeam()) : .platformAdminGranted(pick(principals))
                }
            let incremental = Result { () throws(SnapshotError) in try snapshot.applying([change], revision: snapshot.revision + 1) }
            let loaded = Result { () throws(SnapshotError) in try loader.apply(change) }
            switch (incremental, loaded) {
            case (.success(let next), .success):
                snapshot = next
                applied += 1
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "step \(step): \(change)")
            default:
                Issue.record("step \(step): \(change) succeeded one way and failed the other: \(incremental), \(loaded)")
            }
        }
        #expect(applied > 1_000)
        let built = loader.build(revision: snapshot.revision)
        #expect(built.revision == snapshot.revision)
        #expect(SnapshotContents(built) == SnapshotContents(snapshot))
    }

    /// Past the flat-table limit the maps are tries built bottom-up: large enough that every
    /// map of an organization (members, team members, resources) and the global tables are.
    @Test func largeOrganizationsLoadAsTheyApply() throws {
        let policy = Fixtures.defaultPolicy
        var changes: [SnapshotChange] = []
        for _ in 0..<3 {
            let organization = UUID()
            changes.append(.organizationCreated(organization))
            let teams = (0..<40).map { _ in UUID() }
            for team in teams { changes.append(.teamCreated(organization: organization, team: team)) }
            for number in 0..<600 {
                let principal = UUID()
                changes.append(.memberSet(organization: organization, principal: principal, role: number == 0 ? "owner" : "member"))
                changes.append(.teamMemberSet(team: teams[number % teams.count], principal: principal, role: "member"))
                changes.append(.resourceCreated(type: "job", id: UUID(), organization: organization, team: teams[number % 40], creator: principal))
            }
        }
        var loader = SnapshotLoader(policy: policy)
        for change in changes { try loader.apply(change) }
        let built = loader.build(revision: 9)
        let applied = try AuthzSnapshot(policy: policy).applying(changes, revision: 9)
        #expect(SnapshotContents(built) == SnapshotContents(applied))
        #expect(built.resourceCount == 1_800)
    }
}

/// Everything a snapshot holds, as plain values to compare.
struct SnapshotContents: Equatable {
    struct Organization: Equatable {
        var members: [UUID: RoleID] = [:]
        var teams: Set<UUID> = []
        var teamMembers: [TeamMembership: RoleID] = [:]
        var resources: [ResourceTypeID: Set<UUID>] = [:]
    }

    var organizations: [UUID: Organization] = [:]
    var teamOrganizations: [UUID: UUID] = [:]
    var resources: [ResourceKey: ResolvedResource] = [:]
    var platformAdmins: Set<UUID>

    init(_ snapshot: AuthzSnapshot) {
        self.platformAdmins = snapshot.platformAdmins
        snapshot.teamOrganizations.forEach { self.teamOrganizations[$0] = $1 }
        snapshot.resources.forEach { self.resources[$0] = $1 }
        snapshot.organizations.forEach { id, index in
            var organization = Organization()
            index.members.forEach { organization.members[$0] = $1 }
            index.teams.forEach { team, _ in organization.teams.insert(team) }
            index.teamMembers.forEach { organization.teamMembers[$0] = $1 }
            for (type, ids) in index.resources {
                var set: Set<UUID> = []
                ids.forEach { id, _ in set.insert(id) }
                // An emptied type's map and an absent one mean the same.
                if !set.isEmpty { organization.resources[type] = set }
            }
            self.organizations[id] = organization
        }
    }
}
