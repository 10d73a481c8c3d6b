import Foundation
internal import Identity

/// A share as its managers see it: never the token again (only at creation), never the
/// password's hash.
struct ShareBody: Encodable, Sendable {
    struct Resource: Encodable, Sendable {
        let type: String
        let id: String
    }

    let id: String
    let organizationID: String
    let teamID: String?
    let createdBy: String?
    let resource: Resource
    let hasPassword: Bool
    let token: String?
    let url: String?
    let status: String
    let expiresAt: String?
    let revokedAt: String?
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, resource, token, url, status
        case organizationID = "organization_id"
        case teamID = "team_id"
        case createdBy = "created_by"
        case hasPassword = "has_password"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case createdAt = "created_at"
    }

    init(_ share: Share, token: String? = nil, now: Date = Date()) {
        self.id = share.id.text
        self.organizationID = share.organizationID.text
        self.teamID = share.teamID?.text
        self.createdBy = share.createdBy?.text
        self.resource = Resource(type: share.resourceType, id: share.resourceID.text)
        self.hasPassword = share.passwordHash != nil
        self.token = token
        self.url = token.map { "/v1/public/shares/\($0)" }
        self.status = share.revokedAt != nil ? "revoked" : share.expiresAt.map { $0 <= now } == true ? "expired" : "active"
        self.expiresAt = share.expiresAt.map(Timestamp.format)
        self.revokedAt = share.revokedAt.map(Timestamp.format)
        self.createdAt = Timestamp.format(share.createdAt)
    }

    /// Optionals are written as null, except the token and url, present only at creation.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.organizationID, forKey: .organizationID)
        try container.encode(self.teamID, forKey: .teamID)
        try container.encode(self.createdBy, forKey: .createdBy)
        try container.encode(self.resource, forKey: .resource)
        try container.encode(self.hasPassword, forKey: .hasPassword)
        try container.encodeIfPresent(self.token, forKey: .token)
        try container.encodeIfPresent(self.url, forKey: .url)
        try container.encode(self.status, forKey: .status)
        try container.encode(self.expiresAt, forKey: .expiresAt)
        try container.encode(self.revokedAt, forKey: .revokedAt)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}
