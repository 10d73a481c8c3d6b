public import Foundation

/// A change that cannot be applied: the log and the policy disagree, or changes arrived out
/// of order. Raised instead of silently dropping access.
public enum SnapshotError: Error, Equatable, Sendable {
    case staleRevision(current: UInt64, offered: UInt64)
    case unknownOrganization(UUID)
    case unknownTeam(UUID)
    case unknownRole(type: String, role: String)
    case unknownResourceType(String)
    /// Organizations, teams and external types are not stored as resources.
    case notAStoredResourceType(String)
    /// A team of another organization, or a team for a type that cannot belong to one.
    case teamNotAllowed(team: UUID, type: String)
}
