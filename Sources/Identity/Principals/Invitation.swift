public import Foundation

/// An offer of membership to an email address, with an optional team role. The token that
/// accepts it is shown once, at creation; only its digest is kept.
public struct Invitation: Hashable, Sendable, Codable {
    public let id: UUID
    public let organizationID: UUID
    public let email: String
    public let role: String
    public let teamID: UUID?
    public let teamRole: String?
    public let invitedBy: UUID
    public let tokenDigest: [UInt8]
    public let createdAt: Date
    public let expiresAt: Date
    public let acceptedAt: Date?
    public let acceptedBy: UUID?
    public let revokedAt: Date?

    public init(
        id: UUID,
        organizationID: UUID,
        email: String,
        role: String,
        teamID: UUID?,
        teamRole: String?,
        invitedBy: UUID,
        tokenDigest: [UInt8],
        createdAt: Date,
        expiresAt: Date,
        acceptedAt: Date? = nil,
        acceptedBy: UUID? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.organizationID = organizationID
        self.email = email
        self.role = role
        self.teamID = teamID
        self.teamRole = teamRole
        self.invitedBy = invitedBy
        self.tokenDigest = tokenDigest
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
        self.acceptedBy = acceptedBy
        self.revokedAt = revokedAt
    }

    /// Used and revoked outrank expiry: an invitation accepted yesterday that would have
    /// expired today is reported as accepted.
    public func status(at now: Date) -> InvitationStatus {
        if self.acceptedAt != nil { return .accepted }
        if self.revokedAt != nil { return .revoked }
        return now >= self.expiresAt ? .expired : .pending
    }
}
