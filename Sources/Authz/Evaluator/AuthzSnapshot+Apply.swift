import Foundation

extension AuthzSnapshot {
    /// The next snapshot: these changes applied, tagged with `revision`. Only the
    /// organizations the changes touch get new indexes; every other one is shared with `self`.
    ///
    /// Applying is idempotent for creations and removals (re-creating what exists or removing
    /// what is gone changes nothing), so replaying a log entry is harmless.
    public func applying(_ changes: some Sequence<SnapshotChange>, revision: UInt64) throws(SnapshotError) -> AuthzSnapshot {
        guard revision > self.revision else {
            throw .staleRevision(current: self.revision, offered: revision)
        }
        var next = self
        for change in changes {
            try next.apply(change)
        }
        next.revision = revision
        return next
    }

    mutating func apply(_ change: SnapshotChange) throws(SnapshotError) {
        switch change {
        case .organizationCreated(let id):
            if !self.organizations.contains(id) {
                self.organizations[id] = OrganizationIndex(id: id)
            }
        case .organizationDeleted(let id):
            guard let index = self.organizations.removeValue(for: id) else { return }
            index.teams.forEach { team, _ in self.teamOrganizations.removeValue(for: team) }
            for (type, resources) in index.resources {
                resources.forEach { id, _ in self.resources.removeValue(for: ResourceKey(type: type, id: id)) }
            }
        case .memberSet(let organization, let principal, let roleName):
            let index = try self.organization(organization)
            guard let role = self.policy.organization.role(named: roleName) else {
                throw .unknownRole(type: self.policy.organization.name, role: roleName)
            }
            var members = index.members
            members[principal] = role.id
            self.organizations[organization] = index.replacing(members: members)
        case .memberRemoved(let organization, let principal):
            guard let index = self.organizations[organization], index.members[principal] != nil else { return }
            var members = index.members
            members.removeValue(for: principal)
            self.organizations[organization] = index.replacing(
                members: members,
                teamMembers: index.teamMembers(removing: { $0.principal == principal })
            )
        case .teamCreated(let organization, let team):
            let index = try self.organization(organization)
            guard index.teams[team] == nil else { return }
            var teams = index.teams
            teams[team] = ()
            self.organizations[organization] = index.replacing(teams: teams)
            self.teamOrganizations[team] = organization
        case .teamDeleted(let team):
            guard let organization = self.teamOrganizations.removeValue(for: team),
                let index = self.organizations[organization]
            else { return }
            var teams = index.teams
            teams.removeValue(for: team)
            self.organizations[organization] = index.replacing(
                teams: teams,
                teamMembers: index.teamMembers(removing: { $0.team == team })
            )
        case .teamMemberSet(let team, let principal, let roleName):
            guard let role = self.policy.team.role(named: roleName) else {
                throw .unknownRole(type: self.policy.team.name, role: roleName)
            }
            try self.updateTeamMembers(of: team) { $0[TeamMembership(team: team, principal: principal)] = role.id }
        case .teamMemberRemoved(let team, let principal):
            guard self.teamOrganizations[team] != nil else { return }
            try self.updateTeamMembers(of: team) { $0.removeValue(for: TeamMembership(team: team, principal: principal)) }
        case .resourceCreated(let typeName, let id, let organization, let team, let creator):
            let type = try self.storedType(typeName)
            let index = try self.organization(organization)
            try self.checkTeam(team, of: type, in: organization)
            let resource = ResolvedResource(type: type.id, id: id, organization: organization, team: team, creator: creator)
            self.store(resource, in: index)
        case .resourceDeleted(let typeName, let id):
            let type = try self.storedType(typeName)
            guard let resource = self.resources.removeValue(for: ResourceKey(type: type.id, id: id)),
                let index = self.organizations[resource.organization]
            else { return }
            var resources = index.resources
            resources[type.id]?.removeValue(for: id)
            self.organizations[resource.organization] = index.replacing(resources: resources)
        case .resourceMoved(let typeName, let id, let team):
            let type = try self.storedType(typeName)
            guard let existing = self.resources[ResourceKey(type: type.id, id: id)],
                let index = self.organizations[existing.organization]
            else { return }
            try self.checkTeam(team, of: type, in: existing.organization)
            let moved = ResolvedResource(
                type: type.id,
                id: id,
                organization: existing.organization,
                team: team,
                creator: existing.creator
            )
            self.store(moved, in: index)
        case .platformAdminGranted(let principal):
            self.platformAdmins.insert(principal)
        case .platformAdminRevoked(let principal):
            self.platformAdmins.remove(principal)
        }
    }

    private func organization(_ id: UUID) throws(SnapshotError) -> OrganizationIndex {
        guard let index = self.organizations[id] else { throw .unknownOrganization(id) }
        return index
    }

    private mutating func updateTeamMembers(of team: UUID, _ update: (inout PersistentMap<TeamMembership, RoleID>) -> Void) throws(SnapshotError) {
        guard let organization = self.teamOrganizations[team], let index = self.organizations[organization] else {
            throw .unknownTeam(team)
        }
        var teamMembers = index.teamMembers
        update(&teamMembers)
        self.organizations[organization] = index.replacing(teamMembers: teamMembers)
    }

    private func storedType(_ name: String) throws(SnapshotError) -> ResourceType {
        try self.policy.storedResourceType(named: name)
    }

    private func checkTeam(_ team: UUID?, of type: ResourceType, in organization: UUID) throws(SnapshotError) {
        try type.checkTeam(team, in: organization, teamOrganization: team.flatMap { self.teamOrganizations[$0] })
    }

    private mutating func store(_ resource: ResolvedResource, in index: OrganizationIndex) {
        self.resources[ResourceKey(type: resource.type, id: resource.id)] = resource
        var resources = index.resources
        resources[resource.type, default: PersistentMap()][resource.id] = ()
        self.organizations[resource.organization] = index.replacing(resources: resources)
    }
}
