/// A role of a membership-bearing resource type, with its inclusion closure precomputed.
public struct Role: Sendable {
    public let id: RoleID
    public let name: String
    public let description: String?
    /// Roles named in `includes`, as written.
    public let directlyIncludes: [RoleID]
    /// This role and every role it includes, transitively: the roles it may grant to others.
    public let includedRoles: Set<RoleID>
    /// Every permission this role grants, its own and its included roles'.
    public let permissions: PermissionSet
    public let location: SourceLocation
}
