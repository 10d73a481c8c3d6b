/// What the store says when a request with an `Idempotency-Key` arrives.
public enum IdempotencyStart: Sendable, Equatable {
    /// First time: handle it, then complete or abandon the record.
    case started
    /// Done before with the same body: replay this sealed response.
    case replay(sealedResponse: [UInt8])
    /// The key was used with another request body.
    case mismatch
    /// The first request with this key is still being handled.
    case inProgress
}
