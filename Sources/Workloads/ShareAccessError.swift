/// Why a public share link answers something other than its snapshot: each case is one row
/// of the states table of docs/API.md §5.
public enum ShareAccessError: Error, Hashable, Sendable {
    case notFound
    case revoked
    case expired
    case passwordRequired
    case wrongPassword
    /// Too many wrong passwords; try again in `retryAfter` seconds.
    case locked(retryAfter: Int, limit: Int)
    case evidenceUnverified
    case artifactFiltered
    case payloadRejected
}
