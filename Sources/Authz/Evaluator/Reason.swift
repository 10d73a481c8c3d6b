public import Foundation

/// Why a check was allowed: which role, held on which resource, and through which team.
public struct Reason: Hashable, Sendable {
    public enum Source: String, Hashable, Sendable {
        case organizationRole = "organization_role"
        case teamRole = "team_role"
        case creator
        case platformAdmin = "platform_admin"
    }

    public let source: Source
    /// The organization or team role (by `source`); nil for the creator rule. Ids rather than
    /// names keep building a reason free of reference counting; `Policy.roleName(of:)` names it.
    public let role: RoleID?
    /// The type of the resource the role is held on (for the creator rule, the resource's).
    public let onType: ResourceTypeID
    public let onID: UUID
    public let viaTeam: UUID?

    public init(source: Source, role: RoleID?, onType: ResourceTypeID, onID: UUID, viaTeam: UUID?) {
        self.source = source
        self.role = role
        self.onType = onType
        self.onID = onID
        self.viaTeam = viaTeam
    }
}
