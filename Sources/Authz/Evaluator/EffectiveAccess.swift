public import Foundation

/// What a principal may do in one organization: its role there, its team roles, and the
/// permissions each grants.
public struct EffectiveAccess: Hashable, Sendable {
    public struct TeamAccess: Hashable, Sendable {
        public let team: UUID
        public let role: String
        /// Permissions the team role grants on the team and the resources it owns.
        public let permissions: [String]
    }

    public let organization: UUID
    /// The organization role; for a platform admin who is not a member, the top role.
    public let role: String?
    public let isPlatformAdmin: Bool
    /// Permissions granted throughout the organization.
    public let permissions: [String]
    /// Team roles, in ascending team id order.
    public let teams: [TeamAccess]
}
