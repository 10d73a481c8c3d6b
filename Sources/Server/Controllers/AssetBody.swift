import Foundation
internal import Identity
import JSON
internal import Workloads

/// An asset's metadata as the API shows it; optionals are written as null.
struct AssetBody: Encodable, Sendable {
    let id: String
    let organizationID: String
    @Nullable var teamID: String?
    @Nullable var createdBy: String?
    let name: String
    let contentType: String
    let size: Int64
    let sha256: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, name, size, sha256
        case organizationID = "organization_id"
        case teamID = "team_id"
        case createdBy = "created_by"
        case contentType = "content_type"
        case createdAt = "created_at"
    }

    init(_ asset: Asset) {
        self.id = asset.id.text
        self.organizationID = asset.organizationID.text
        self.teamID = asset.teamID?.text
        self.createdBy = asset.createdBy?.text
        self.name = asset.name
        self.contentType = asset.contentType
        self.size = asset.size
        self.sha256 = asset.sha256
        self.createdAt = Timestamp.format(asset.createdAt)
    }
}
