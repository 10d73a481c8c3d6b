/// What the domain refuses, in its own terms; the server maps each case to an API error code
/// in one place.
public enum IdentityError: Error, Equatable, Sendable {
    /// No such thing, or it belongs to a tenant the caller cannot see.
    case notFound(String)
    /// The caller may see the thing but may not do this to it.
    case forbidden(String)
    /// A duplicate, or a change the current state does not allow (the last owner rule).
    case conflict(String)
    /// An invitation that was used, revoked or has expired.
    case gone(String)
    /// Bad input, with the field path it concerns.
    case invalid(field: String, message: String)
    /// The store could not be reached or failed; the detail is for logs, never for clients.
    case unavailable(String)
}
