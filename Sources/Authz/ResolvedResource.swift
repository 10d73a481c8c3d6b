public import Foundation

/// A resource placed in its organization: everything a check needs to know about it.
public struct ResolvedResource: Hashable, Sendable {
    public let type: ResourceTypeID
    public let id: UUID
    public let organization: UUID
    /// The team it belongs to; for a team, the team itself.
    public let team: UUID?
    public let creator: UUID?

    public init(type: ResourceTypeID, id: UUID, organization: UUID, team: UUID?, creator: UUID?) {
        self.type = type
        self.id = id
        self.organization = organization
        self.team = team
        self.creator = creator
    }
}
