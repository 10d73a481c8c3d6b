public import Foundation

/// A tenant. Every membership, team and resource belongs to exactly one.
public struct Organization: Hashable, Sendable, Codable {
    public let id: UUID
    public let name: String
    public let slug: Slug
    public let createdAt: Date

    public init(id: UUID, name: String, slug: Slug, createdAt: Date) {
        self.id = id
        self.name = name
        self.slug = slug
        self.createdAt = createdAt
    }

    /// Names are shown to people; they must be present and bounded, nothing more.
    public static func validateName(_ name: String, field: String = "name") throws(IdentityError) -> String {
        guard name.scalarCount <= 200 else { throw .invalid(field: field, message: "must be at most 200 characters") }
        let trimmed = name.trimmingBlank()
        guard !trimmed.isEmpty else { throw .invalid(field: field, message: "must not be empty") }
        return trimmed
    }
}
