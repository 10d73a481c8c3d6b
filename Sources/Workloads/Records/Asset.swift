public import Foundation

/// An uploaded file: its bytes live once per content in the blob folder, named by their
/// SHA-256; this record says whose they are and what they are called.
public struct Asset: Hashable, Sendable {
    public static let resourceType = "asset"

    public let id: UUID
    public let organizationID: UUID
    public let teamID: UUID?
    public let createdBy: UUID?
    public let name: String
    public let contentType: String
    public let size: Int64
    /// Lower-case hex: the blob's name and the `ETag`.
    public let sha256: String
    public let createdAt: Date

    public init(
        id: UUID,
        organizationID: UUID,
        teamID: UUID?,
        createdBy: UUID?,
        name: String,
        contentType: String,
        size: Int64,
        sha256: String,
        createdAt: Date
    ) {
        self.id = id
        self.organizationID = organizationID
        self.teamID = teamID
        self.createdBy = createdBy
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.createdAt = createdAt
    }
}
