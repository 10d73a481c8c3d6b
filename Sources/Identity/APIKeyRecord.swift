public import Foundation

/// What the store keeps of an API key: never the secret, only its argon2id hash.
public struct APIKeyRecord: Hashable, Sendable {
    public let id: UUID
    /// The principal the key acts as: its user for a personal key, a service principal for an
    /// organization key.
    public let principalID: UUID
    public let organizationID: UUID?
    public let name: String
    /// PHC string, `$argon2id$v=19$...`.
    public let secretHash: String
    public let role: String?
    /// Nil: the principal's full permissions; otherwise narrowed to these.
    public let scopes: [String]?
    public let status: APIKeyStatus
    public let createdAt: Date
    public let expiresAt: Date?
    public let lastUsedAt: Date?

    public init(
        id: UUID, principalID: UUID, organizationID: UUID?, name: String, secretHash: String, role: String?, scopes: [String]?,
        status: APIKeyStatus, createdAt: Date, expiresAt: Date?, lastUsedAt: Date?
    ) {
        self.id = id
        self.principalID = principalID
        self.organizationID = organizationID
        self.name = name
        self.secretHash = secretHash
        self.role = role
        self.scopes = scopes
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether the key authenticates at `now`.
    public func isUsable(at now: Date) -> Bool {
        self.status == .active && (self.expiresAt.map { now < $0 } ?? true)
    }
}
