/// A key works only while `active`; `revoked` is final.
public enum APIKeyStatus: String, Sendable, Codable {
    case active
    case disabled
    case revoked
}
