public import Foundation

/// A role that would have granted a denied permission, and the resource it would have to be
/// held on.
public struct GrantableRole: Hashable, Sendable {
    public let role: String
    public let onType: String
    public let onID: UUID
}
