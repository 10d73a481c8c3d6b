import Foundation

/// Builds a snapshot from a whole store at once, the way a server starts: changes go into
/// plain mutable tables, and the persistent maps are made once at the end
/// (`PersistentMap(uniqueKeysWithValues:)`). Applying a million changes one by one to a
/// snapshot would copy a trie path and an organization index for each of them.
///
/// The result is the snapshot `AuthzSnapshot(policy:).applying(changes, revision:)` makes
/// from the same changes, refusing the same inconsistencies with the same errors; a store
/// feeds it rows as it reads them, so no list of every change is ever held.
public struct SnapshotLoader: Sendable {
    struct Organization: Sendable {
        var members: [UUID: RoleID] = [:]
        var teams: Set<UUID> = []
        var teamMembers: [TeamMembership: RoleID] = [:]
        var resources: [ResourceTypeID: Set<UUID>] = [:]
    }

    public let policy: Policy
    private var organizations: [UUID: Organization] = [:]
    private var teamOrganizations: [UUID: UUID] = [:]
    private var resources: [ResourceKey: ResolvedResource] = [:]
    private var platformAdmins: Set<UUID> = []

    public init(policy: Policy) {
        self.policy = policy
    }

    public mutating func apply(_ change: SnapshotChange) throws(SnapshotError) {
        switch change {
        case .organizationCreated(let id):
            if self.organizations[id] == nil { self.organizations[id] = Organization() }
        case .organizationDeleted(let id):
            guard let removed = self.organizations.removeValue(forKey: id) else { return }
            for team in removed.teams { self.teamOrganizations.removeValue(forKey: team) }
            for (type, ids) in removed.resources {
                for id in ids { self.resources.removeValue(forKey: ResourceKey(type: type, id: id)) }
            }
        case .memberSet(let organization, let principal, let roleName):
            try self.requireOrganization(organization)
            guard let role = self.policy.organization.role(named: roleName) else {
                throw .unknownRole(type: self.policy.organization.name, role: roleName)
            }
            self.organizations[organization]?.members[principal] = role.id
        case .memberRemoved(let organization, let principal):
            guard self.organizations[organization]?.members.removeValue(forKey: principal) != nil else { return }
            self.organizations[organization]?.teamMembers.removeAll { $0.key.principal == principal }
        case .teamCreated(let organization, let team):
            try self.requireOrganization(organization)
            guard self.organizations[organization]?.teams.insert(team).inserted == true else { return }
            self.teamOrganizations[team] = organization
        case .teamDeleted(let team):
            guard let organization = self.teamOrganizations.removeValue(forKey: team), self.organizations[organization] != nil else { return }
            self.organizations[organization]?.teams.remove(team)
            self.organizations[organization]?.teamMembers.removeAll { $0.key.team == team }
        case .teamMemberSet(let team, let principal, let roleName):
            guard let role = self.policy.team.role(named: roleName) else {
                throw .unknownRole(type: self.policy.team.name, role: roleName)
            }
            let organization = try self.organization(of: team)
            self.organizations[organization]?.teamMembers[TeamMembership(team: team, principal: principal)] = role.id
        case .teamMemberRemoved(let team, let principal):
            guard self.teamOrganizations[team] != nil else { return }
            let organization = try self.organization(of: team)
            self.organizations[organization]?.teamMembers.removeValue(forKey: TeamMembership(team: team, principal: principal))
        case .resourceCreated(let typeName, let id, let organization, let team, let creator):
            let type = try self.policy.storedResourceType(named: typeName)
            try self.requireOrganization(organization)
            try type.checkTeam(team, in: organization, teamOrganization: team.flatMap { self.teamOrganizations[$0] })
            self.store(ResolvedResource(type: type.id, id: id, organization: organization, team: team, creator: creator))
        case .resourceDeleted(let typeName, let id):
            let type = try self.policy.storedResourceType(named: typeName)
            guard let resource = self.resources.removeValue(forKey: ResourceKey(type: type.id, id: id)) else { return }
            self.organizations[resource.organization]?.resources[type.id]?.remove(id)
        case .resourceMoved(let typeName, let id, let team):
            let type = try self.policy.storedResourceType(named: typeName)
            guard let existing = self.resources[ResourceKey(type: type.id, id: id)], self.organizations[existing.organization] != nil else {
                return
            }
            try type.checkTeam(team, in: existing.organization, teamOrganization: team.flatMap { self.teamOrganizations[$0] })
            self.store(ResolvedResource(type: type.id, id: id, organization: existing.organization, team: team, creator: existing.creator))
        case .platformAdminGranted(let principal):
            self.platformAdmins.insert(principal)
        case .platformAdminRevoked(let principal):
            self.platformAdmins.remove(principal)
        }
    }

    /// The snapshot of everything applied, tagged with `revision`.
    public consuming func build(revision: UInt64) -> AuthzSnapshot {
        var snapshot = AuthzSnapshot(policy: self.policy, revision: revision)
        snapshot.resources = PersistentMap(uniqueKeysWithValues: self.resources.map { ($0.key, $0.value) })
        self.resources = [:]
        snapshot.teamOrganizations = PersistentMap(uniqueKeysWithValues: self.teamOrganizations.map { ($0.key, $0.value) })
        self.teamOrganizations = [:]
        snapshot.organizations = PersistentMap(
            uniqueKeysWithValues: self.organizations.map { id, parts in
                let index = OrganizationIndex(
                    id: id,
                    members: PersistentMap(uniqueKeysWithValues: parts.members.map { ($0.key, $0.value) }),
                    teams: PersistentMap(uniqueKeysWithValues: parts.teams.map { ($0, ()) }),
                    teamMembers: PersistentMap(uniqueKeysWithValues: parts.teamMembers.map { ($0.key, $0.value) }),
                    resources: parts.resources.mapValues { ids in PersistentMap(uniqueKeysWithValues: ids.map { ($0, ()) }) }
                )
                return (id, index)
            }
        )
        snapshot.platformAdmins = self.platformAdmins
        return snapshot
    }

    private func requireOrganization(_ id: UUID) throws(SnapshotError) {
        guard self.organizations[id] != nil else { throw .unknownOrganization(id) }
    }

    private func organization(of team: UUID) throws(SnapshotError) -> UUID {
        guard let organization = self.teamOrganizations[team], self.organizations[organization] != nil else {
            throw .unknownTeam(team)
        }
        return organization
    }

    private mutating func store(_ resource: ResolvedResource) {
        self.resources[ResourceKey(type: resource.type, id: resource.id)] = resource
        self.organizations[resource.organization]?.resources[resource.type, default: []].insert(resource.id)
    }
}

extension Dictionary {
    fileprivate mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        self = self.filter { !shouldRemove($0) }
    }
}
