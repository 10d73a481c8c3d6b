import Foundation

/// Everything the evaluator knows about one organization. A class, so that a new snapshot
/// holds the same instance for every organization a change did not touch: the test for
/// "untouched organizations are shared, not copied" is identity of this object. Every map
/// holds plain values, so the check path reads them without reference counting.
final class OrganizationIndex: Sendable {
    let id: UUID
    /// Principal → organization role.
    let members: PersistentMap<UUID, RoleID>
    /// The organization's teams.
    let teams: PersistentMap<UUID, Void>
    /// (team, principal) → team role.
    let teamMembers: PersistentMap<TeamMembership, RoleID>
    /// Ids of the stored resources, by type, for lookups within the organization; the
    /// records themselves live once, in the snapshot's global table.
    let resources: [ResourceTypeID: PersistentMap<UUID, Void>]

    init(
        id: UUID,
        members: PersistentMap<UUID, RoleID> = PersistentMap(),
        teams: PersistentMap<UUID, Void> = PersistentMap(),
        teamMembers: PersistentMap<TeamMembership, RoleID> = PersistentMap(),
        resources: [ResourceTypeID: PersistentMap<UUID, Void>] = [:]
    ) {
        self.id = id
        self.members = members
        self.teams = teams
        self.teamMembers = teamMembers
        self.resources = resources
    }

    /// A copy with the given parts replaced and the others shared.
    func replacing(
        members: PersistentMap<UUID, RoleID>? = nil,
        teams: PersistentMap<UUID, Void>? = nil,
        teamMembers: PersistentMap<TeamMembership, RoleID>? = nil,
        resources: [ResourceTypeID: PersistentMap<UUID, Void>]? = nil
    ) -> OrganizationIndex {
        OrganizationIndex(
            id: self.id,
            members: members ?? self.members,
            teams: teams ?? self.teams,
            teamMembers: teamMembers ?? self.teamMembers,
            resources: resources ?? self.resources
        )
    }

    /// The team-role map without the memberships matching `predicate`: how a member's
    /// removal or a team's deletion ends every membership it implies at once.
    func teamMembers(removing predicate: (TeamMembership) -> Bool) -> PersistentMap<TeamMembership, RoleID> {
        var remaining = self.teamMembers
        self.teamMembers.forEach { membership, _ in
            if predicate(membership) { remaining.removeValue(for: membership) }
        }
        return remaining
    }
}
