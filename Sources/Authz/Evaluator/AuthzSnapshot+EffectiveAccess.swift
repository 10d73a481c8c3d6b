public import Foundation

extension AuthzSnapshot {
    /// Nil when the organization does not exist or the principal has no access to it.
    public func effectiveAccess(of principal: UUID, in organization: UUID) -> EffectiveAccess? {
        guard let index = self.organizations[organization] else { return nil }
        let isAdmin = self.platformAdmins.contains(principal)
        let organizationType = self.policy.organization
        let memberRole = index.members[principal].map { organizationType.role($0) }
        guard let role = memberRole ?? (isAdmin ? self.policy.organizationOwner : nil) else { return nil }
        var teams: [EffectiveAccess.TeamAccess] = []
        if memberRole != nil {
            let teamType = self.policy.team
            index.teamMembers.forEach { membership, teamRole in
                guard membership.principal == principal else { return }
                let role = teamType.role(teamRole)
                teams.append(EffectiveAccess.TeamAccess(team: membership.team, role: role.name, permissions: self.policy.names(of: role.permissions)))
            }
        }
        return EffectiveAccess(
            organization: organization,
            role: role.name,
            isPlatformAdmin: isAdmin,
            permissions: self.policy.names(of: role.permissions),
            teams: teams.sorted { $0.team < $1.team }
        )
    }
}
