import Foundation

/// Everything the evaluator knows about one organization. A class, so that a new snapshot
/// holds the same instance for every organization a change did not touch: the test for
/// "untouched organizations are shared, not copied" is identity of this object.
final class OrganizationIndex: Sendable {
    let id: UUID
    /// Principal → organization role.
    let members: PersistentMap<UUID, RoleID>
    /// Team → its members.
    let teams: PersistentMap<UUID, TeamIndex>
    /// Stored resources by type, for lookups within the organization.
    let resources: [ResourceTypeID: PersistentMap<UUID, ResolvedResource>]

    init(
        id: UUID,
        members: PersistentMap<UUID, RoleID> = PersistentMap(),
        teams: PersistentMap<UUID, TeamIndex> = PersistentMap(),
        resources: [ResourceTypeID: PersistentMap<UUID, ResolvedResource>] = [:]
    ) {
        self.id = id
        self.members = members
        self.teams = teams
        self.resources = resources
    }

    func with(members: PersistentMap<UUID, RoleID>) -> OrganizationIndex {
        OrganizationIndex(id: self.id, members: members, teams: self.teams, resources: self.resources)
    }

    func with(teams: PersistentMap<UUID, TeamIndex>) -> OrganizationIndex {
        OrganizationIndex(id: self.id, members: self.members, teams: teams, resources: self.resources)
    }

    func with(resources: [ResourceTypeID: PersistentMap<UUID, ResolvedResource>]) -> OrganizationIndex {
        OrganizationIndex(id: self.id, members: self.members, teams: self.teams, resources: resources)
    }
}
