/// A kind of resource the evaluator knows: where it sits under the organization, which
/// permissions can be checked on it, which roles attach to it and what its creator may do.
public struct ResourceType: Sendable {
    public enum Parent: Sendable, Equatable {
        /// Only `organization` itself.
        case none
        /// Always belongs to one organization and never to a team.
        case organization
        /// Belongs to an organization and, optionally, to one team of it.
        case team
    }

    public let id: ResourceTypeID
    public let name: String
    public let parent: Parent
    /// Described by the caller of a check rather than stored by the service.
    public let isExternal: Bool
    /// The permissions that can be checked on a resource of this type.
    public let permissions: PermissionSet
    /// What the principal that created a resource of this type may do with it.
    public let creatorPermissions: PermissionSet
    public let roles: [Role]
    let roleIDs: [String: RoleID]
    /// For each permission (by raw value), the lowest roles of this type that grant it: the
    /// answer to "who could have allowed this" when a check is denied.
    let minimalGrantingRoles: [[RoleID]]
    public let location: SourceLocation

    public func role(named name: String) -> Role? {
        self.roleIDs[name].map { self.roles[Int($0.rawValue)] }
    }

    public func role(_ id: RoleID) -> Role {
        self.roles[Int(id.rawValue)]
    }

    /// The lowest roles of this type whose grants include `permission`.
    public func minimalRoles(granting permission: PermissionID) -> [RoleID] {
        let index = Int(permission.rawValue)
        return index < self.minimalGrantingRoles.count ? self.minimalGrantingRoles[index] : []
    }
}
