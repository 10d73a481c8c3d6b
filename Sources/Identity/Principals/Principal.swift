public import Foundation

/// Someone or something that acts: a user known by its identity provider's `sub`, or the
/// service principal behind an organization API key.
public struct Principal: Hashable, Sendable, Codable {
    public let id: UUID
    public let kind: PrincipalKind
    /// As the identity provider gave it; compared case-insensitively (see `EmailAddress`).
    public let email: String?
    public let name: String?
    /// The `sub` claim of the issuer that created it, for users from JWTs.
    public let externalSubject: String?
    public let isPlatformAdmin: Bool
    public let createdAt: Date

    public init(
        id: UUID,
        kind: PrincipalKind,
        email: String?,
        name: String?,
        externalSubject: String?,
        isPlatformAdmin: Bool,
        createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.email = email
        self.name = name
        self.externalSubject = externalSubject
        self.isPlatformAdmin = isPlatformAdmin
        self.createdAt = createdAt
    }
}
