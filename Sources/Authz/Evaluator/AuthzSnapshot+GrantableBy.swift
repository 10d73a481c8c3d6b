import Foundation

extension AuthzSnapshot {
    /// The lowest roles that would grant `permission` on the resource: on its organization,
    /// then on its team. Computed only for denials, from tables built when the policy loaded.
    public func grantableBy(_ permission: PermissionID, on resource: ResolvedResource) -> [GrantableRole] {
        guard self.policy.type(resource.type).permissions.contains(permission) else { return [] }
        let organizationType = self.policy.organization
        var roles = organizationType.minimalRoles(granting: permission).map {
            GrantableRole(role: organizationType.role($0).name, onType: organizationType.name, onID: resource.organization)
        }
        if let team = resource.team, self.teamOrganizations[team] == resource.organization {
            let teamType = self.policy.team
            roles += teamType.minimalRoles(granting: permission).map {
                GrantableRole(role: teamType.role($0).name, onType: teamType.name, onID: team)
            }
        }
        return roles
    }
}
