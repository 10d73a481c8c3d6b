/// A permission interned to a small integer, so a role's grants are a bitset and a check is
/// a bit test rather than a string comparison.
public struct PermissionID: Hashable, Sendable, Comparable {
    public let rawValue: UInt16

    init(_ rawValue: Int) {
        self.rawValue = UInt16(rawValue)
    }

    public static func < (lhs: PermissionID, rhs: PermissionID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
