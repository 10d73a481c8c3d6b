/// How the audited request ended.
public enum AuditOutcome: String, Sendable, Codable {
    case success
    /// Refused: a failed authentication, a missing permission.
    case denied
    case failure
}
