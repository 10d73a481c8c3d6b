/// Why a check was denied.
public enum Denial: String, Hashable, Sendable {
    /// The permission cannot be checked on this resource type at all.
    case notApplicable = "not_applicable"
    /// The caller's credentials are scoped to permissions that do not include this one.
    case outsideScopes = "outside_scopes"
    /// No such resource (or it is in a tenant the snapshot does not know).
    case resourceNotFound = "resource_not_found"
    /// The subject is not a member of the resource's organization.
    case notMember = "not_member"
    /// A member, but no role, team role or creator rule grants the permission.
    case noGrant = "no_grant"
}
