public import Authz

/// Nobody grants a role above their own: a role may be granted (by invitation, role change
/// or organization API key) only by someone whose own role includes it. Only the top role
/// includes itself among the top, so only owners grant owner; platform admins act as owner.
public enum RoleGrantRule {
    /// For organization roles; `granter` is nil for a platform admin who is not a member.
    public static func check(
        granterRole: String?,
        isPlatformAdmin: Bool,
        grants role: String,
        policy: Policy,
        field: String = "role"
    ) throws(IdentityError) {
        let organization = policy.organization
        guard let target = organization.role(named: role) else {
            let known = organization.roles.map(\.name).joined(separator: ", ")
            throw .invalid(field: field, message: "unknown role '\(role)' (one of: \(known))")
        }
        if isPlatformAdmin { return }
        guard let granterRole, let granter = organization.role(named: granterRole), granter.includedRoles.contains(target.id) else {
            throw .forbidden("a \(granterRole ?? "non-member") cannot grant the role '\(role)', which is above their own")
        }
    }

    /// For team roles: whoever manages teams organization-wide (the permission
    /// `team.member.manage` through an organization role, or platform admin) grants any team
    /// role; a team member only roles its own team role includes.
    public static func checkTeamRole(
        granterOrganizationRole: String?,
        granterTeamRole: String?,
        isPlatformAdmin: Bool,
        grants role: String,
        policy: Policy,
        field: String = "role"
    ) throws(IdentityError) {
        let team = policy.team
        guard let target = team.role(named: role) else {
            let known = team.roles.map(\.name).joined(separator: ", ")
            throw .invalid(field: field, message: "unknown team role '\(role)' (one of: \(known))")
        }
        if isPlatformAdmin { return }
        if let manage = policy.permission(named: "team.member.manage"),
            let organizationRole = granterOrganizationRole.flatMap({ policy.organization.role(named: $0) }),
            organizationRole.permissions.contains(manage)
        {
            return
        }
        guard let granterTeamRole, let granter = team.role(named: granterTeamRole), granter.includedRoles.contains(target.id) else {
            throw .forbidden("a team \(granterTeamRole ?? "non-member") cannot grant the team role '\(role)', which is above their own")
        }
    }
}
