/// A resource type's position in the policy.
public struct ResourceTypeID: Hashable, Sendable {
    public let rawValue: UInt8

    init(_ rawValue: Int) {
        self.rawValue = UInt8(rawValue)
    }
}
