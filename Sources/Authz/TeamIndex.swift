import Foundation

/// One team's members and their team roles.
struct TeamIndex: Sendable {
    var members: PersistentMap<UUID, RoleID>
}
