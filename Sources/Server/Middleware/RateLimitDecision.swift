/// One request's standing with its bucket, as the `RateLimit-*` headers report it.
struct RateLimitDecision: Sendable, Equatable {
    let allowed: Bool
    let limit: Int
    let remaining: Int
    /// Seconds until the bucket is full again.
    let reset: Int
    /// Seconds until one request is allowed again (when refused).
    let retryAfter: Int
}
