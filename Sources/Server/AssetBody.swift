import Foundation
internal import Identity

/// An asset's metadata as the API shows it; optionals are written as null.
struct AssetBody: Encodable, Sendable {
    let id: String
    let organizationID: String
    let teamID: String?
    let createdBy: String?
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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.organizationID, forKey: .organizationID)
        try container.encode(self.teamID, forKey: .teamID)
        try container.encode(self.createdBy, forKey: .createdBy)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.contentType, forKey: .contentType)
        try container.encode(self.size, forKey: .size)
        try container.encode(self.sha256, forKey: .sha256)
        try container.encode(self.createdAt, forKey: .createdAt)
    }
}
