public import Foundation

/// How a stored resource is found: the same id under another type is another resource.
public struct ResourceKey: TrieKey {
    public let type: ResourceTypeID
    public let id: UUID

    public init(type: ResourceTypeID, id: UUID) {
        self.type = type
        self.id = id
    }

    public var trieHash: UInt64 {
        self.id.trieHash ^ UInt64(self.type.rawValue)
    }
}
