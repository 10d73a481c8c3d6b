public import Foundation

/// A principal's role in an organization (a role name of the policy's organization type).
public struct Membership: Hashable, Sendable, Codable {
    public let organizationID: UUID
    public let principalID: UUID
    public let role: String
    public let createdAt: Date

    public init(organizationID: UUID, principalID: UUID, role: String, createdAt: Date) {
        self.organizationID = organizationID
        self.principalID = principalID
        self.role = role
        self.createdAt = createdAt
    }
}
