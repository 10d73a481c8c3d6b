import Foundation

/// Whose bucket a `/v1` request spends from: a verified principal's (per route group), or,
/// before any credential is verified, its client address's.
enum RateLimitKey: Hashable, Sendable {
    case principal(UUID, checks: Bool)
    case address(String)
}
