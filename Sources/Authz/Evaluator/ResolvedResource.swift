public import Foundation

/// A resource placed in its organization: everything a check needs to know about it.
public struct ResolvedResource: Hashable, Sendable {
    public let type: ResourceTypeID
    /// A stored resource's id; for an external one `ResolvedResource.externalID`, since the
    /// caller's own id is text and decides nothing (it is echoed by whoever asked).
    public let id: UUID
    public let organization: UUID
    /// The team it belongs to; for a team, the team itself.
    public let team: UUID?
    public let creator: UUID?

    /// What `id` holds for a caller-described resource: keeping the text out of this type
    /// keeps it free of reference counting, and the index of stored resources small.
    public static let externalID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public init(type: ResourceTypeID, id: UUID, organization: UUID, team: UUID?, creator: UUID?) {
        self.type = type
        self.id = id
        self.organization = organization
        self.team = team
        self.creator = creator
    }
}
