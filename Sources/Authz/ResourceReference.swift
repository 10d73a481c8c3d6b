public import Foundation

/// A resource as a check names it: stored ones by type and id (the snapshot knows where they
/// live), external ones described in full by the caller.
public enum ResourceReference: Hashable, Sendable {
    case stored(type: ResourceTypeID, id: UUID)
    case external(type: ResourceTypeID, id: UUID, organization: UUID, team: UUID?, owner: UUID?)
}
