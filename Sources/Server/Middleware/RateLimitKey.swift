import Foundation

/// Whose bucket a `/v1` request spends from: a verified principal's (per route group), or,
/// before any credential is verified, its client address's.
enum RateLimitKey: Hashable, Sendable {
    case principal(UUID, checks: Bool)
    case address(String)
    /// Public share links, per client address.
    case publicAddress(String)
    /// One client reading one share (by the token's digest).
    case shareRead(String, [UInt8])
}
