public import Foundation

/// A resource as a check names it: stored ones by type and id (the snapshot knows where they
/// live), external ones described in full by the caller. An external resource's id is the
/// calling service's own ("doc-123", "42"), so it is text; the evaluator never looks it up.
public enum ResourceReference: Hashable, Sendable {
    case stored(type: ResourceTypeID, id: UUID)
    case external(type: ResourceTypeID, id: String, organization: UUID, team: UUID?, owner: UUID?)

    public var type: ResourceTypeID {
        switch self {
        case .stored(let type, _), .external(let type, _, _, _, _): type
        }
    }

    /// The id as the caller wrote it (stored ids in lower case, as everywhere in the API).
    public var idText: String {
        switch self {
        case .stored(_, let id): id.uuidString.lowercased()
        case .external(_, let id, _, _, _): id
        }
    }
}
