/// Where an invitation stands. Only `pending` can be accepted or revoked; the others answer
/// 410 `gone`.
public enum InvitationStatus: String, Sendable, Codable {
    case pending
    case accepted
    case revoked
    case expired
}
