/// Humans sign in (JWT or the bootstrap key); services exist to hold organization API keys.
public enum PrincipalKind: String, Sendable, Codable, CaseIterable {
    case user
    case service
}
