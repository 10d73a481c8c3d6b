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
    /// Who created it: the one, besides the organization's admins, who may manage an
    /// organization key.
    public let createdBy: UUID?
    /// The key a rotation replaced it with; a replaced key lives only until its grace period
    /// (its `expiresAt`) ends, and is not rotated again.
    public let replacedBy: UUID?
    /// The key this one replaced, when a rotation made it.
    public let replaces: UUID?

    public init(
        id: UUID,
        principalID: UUID,
        organizationID: UUID?,
        name: String,
        secretHash: String,
        role: String?,
        scopes: [String]?,
        status: APIKeyStatus,
        createdAt: Date,
        expiresAt: Date?,
        lastUsedAt: Date?,
        createdBy: UUID? = nil,
        replacedBy: UUID? = nil,
        replaces: UUID? = nil
    ) {
        self.replaces = replaces
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
        self.createdBy = createdBy
        self.replacedBy = replacedBy
    }

    /// The same key in another state: what the lifecycle operations store.
    public func with(status: APIKeyStatus? = nil, expiresAt: Date?? = nil, replacedBy: UUID?? = nil) -> APIKeyRecord {
        APIKeyRecord(
            id: self.id,
            principalID: self.principalID,
            organizationID: self.organizationID,
            name: self.name,
            secretHash: self.secretHash,
            role: self.role,
            scopes: self.scopes,
            status: status ?? self.status,
            createdAt: self.createdAt,
            expiresAt: expiresAt ?? self.expiresAt,
            lastUsedAt: self.lastUsedAt,
            createdBy: self.createdBy,
            replacedBy: replacedBy ?? self.replacedBy,
            replaces: self.replaces
        )
    }

    /// How the policy knows organization keys: a stored resource of this type in their
    /// organization.
    public static let resourceType = "api_key"

    /// Whether the key authenticates at `now`.
    public func isUsable(at now: Date) -> Bool {
        self.status == .active && (self.expiresAt.map { now < $0 } ?? true)
    }
}
