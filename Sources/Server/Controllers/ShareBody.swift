import Foundation
internal import Identity
import JSON
internal import Workloads

/// A share as its managers see it: never the token again (only at creation), never the
/// password's hash.
struct ShareBody: Encodable, Sendable {
    struct Resource: Encodable, Sendable {
        let type: String
        let id: String
    }

    let id: String
    let organizationID: String
    @Nullable var teamID: String?
    @Nullable var createdBy: String?
    let resource: Resource
    let hasPassword: Bool
    /// Only in the answer that creates the share (left out otherwise), like `url`.
    let token: String?
    let url: String?
    let status: String
    @Nullable var expiresAt: String?
    @Nullable var revokedAt: String?
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
}
