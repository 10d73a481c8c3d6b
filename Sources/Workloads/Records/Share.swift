public import Foundation

/// A public link to a job, workflow run or asset. The store keeps the token's digest (never
/// the token), the password's argon2id hash, and the public snapshot fixed at creation with
/// its MAC.
public struct Share: Hashable, Sendable {
    public static let resourceType = "share"

    public let id: UUID
    public let organizationID: UUID
    /// The shared resource's team, so its maintainers may revoke the share.
    public let teamID: UUID?
    public let createdBy: UUID?
    public let resourceType: String
    public let resourceID: UUID
    public let tokenDigest: [UInt8]
    public let passwordHash: String?
    /// JSON: only the allow-listed public fields of the resource.
    public let snapshot: String
    /// Keyed BLAKE2b of the snapshot (and the share's identity) under the server's secret.
    public let mac: [UInt8]
    public var revokedAt: Date?
    public let expiresAt: Date?
    public let createdAt: Date

    public init(
        id: UUID,
        organizationID: UUID,
        teamID: UUID?,
        createdBy: UUID?,
        resourceType: String,
        resourceID: UUID,
        tokenDigest: [UInt8],
        passwordHash: String?,
        snapshot: String,
        mac: [UInt8],
        revokedAt: Date? = nil,
        expiresAt: Date?,
        createdAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.teamID = teamID
        self.createdBy = createdBy
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.tokenDigest = tokenDigest
        self.passwordHash = passwordHash
        self.snapshot = snapshot
        self.mac = mac
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}
