public import Foundation

/// What a committed write did, in the vocabulary the snapshot needs: the store's change-log
/// entries are translated into these and applied in revision order. Roles and types are
/// named, not interned, so a change log outlives a policy edit.
public enum SnapshotChange: Hashable, Sendable {
    case organizationCreated(UUID)
    case organizationDeleted(UUID)
    case memberSet(organization: UUID, principal: UUID, role: String)
    /// Also ends the principal's team memberships in that organization.
    case memberRemoved(organization: UUID, principal: UUID)
    case teamCreated(organization: UUID, team: UUID)
    /// Removes the team and every grant its roles gave; resources it owned keep only their
    /// organization's grants.
    case teamDeleted(team: UUID)
    case teamMemberSet(team: UUID, principal: UUID, role: String)
    case teamMemberRemoved(team: UUID, principal: UUID)
    case resourceCreated(type: String, id: UUID, organization: UUID, team: UUID?, creator: UUID?)
    case resourceDeleted(type: String, id: UUID)
    /// The resource now belongs to another team of the same organization, or to none.
    case resourceMoved(type: String, id: UUID, team: UUID?)
    case platformAdminGranted(UUID)
    case platformAdminRevoked(UUID)
}
