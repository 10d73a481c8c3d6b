/// A role's position among the roles of its resource type; memberships store this instead
/// of the role's name.
public struct RoleID: Hashable, Sendable {
    public let rawValue: UInt8

    init(_ rawValue: Int) {
        self.rawValue = UInt8(rawValue)
    }
}
