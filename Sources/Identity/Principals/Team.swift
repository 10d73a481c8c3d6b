public import Foundation

/// A group inside one organization; its roles reach the resources it owns.
public struct Team: Hashable, Sendable, Codable {
    public let id: UUID
    public let organizationID: UUID
    public let name: String
    public let createdAt: Date

    public init(id: UUID, organizationID: UUID, name: String, createdAt: Date) {
        self.id = id
        self.organizationID = organizationID
        self.name = name
        self.createdAt = createdAt
    }
}
