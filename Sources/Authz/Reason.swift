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
    /// The role's name; `creator` for the creator rule.
    public let role: String
    /// The type of the resource the role is held on.
    public let onType: String
    public let onID: UUID
    public let viaTeam: UUID?
}
