public import Hummingbird
internal import HTTPTypes
public import Identity

/// Spends one token per `/v1` request before anything else is done for it. A request whose
/// key is already verified counts against its principal (in the checks group or the default
/// one); any other — no key, a wrong key, a key not yet verified — against its client
/// address, before any argon2id work, so guessing keys cannot burn the CPU.
public struct RateLimitMiddleware<Store: IdentityStore>: RouterMiddleware {
    public typealias Context = AppRequestContext

    let limits: RateLimits
    let limiter: RateLimiter<RateLimitKey>
    let authenticator: APIKeyAuthenticator<Store>

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        guard path.hasPrefix("/v1/") else { return try await next(request, context) }
        let key: RateLimitKey
        let limit: Int
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let known = self.authenticator.verified(bearer: String(header.dropFirst("Bearer ".count)))
        {
            // Authentication takes it from here rather than looking the key up again.
            context.authentication = known
            let checks = path.hasPrefix("/v1/authz/")
            key = .principal(known.principal.id, checks: checks)
            limit = checks ? self.limits.checksPerPrincipal : self.limits.perPrincipal
        } else {
            key = .address(context.clientAddress)
            limit = self.limits.perAnonymousAddress
        }
        let decision = self.limiter.take(key, perMinute: limit)
        context.trace.rateLimit = decision
        guard decision.allowed else {
            throw APIError(.tooManyRequests, code: "rate_limited", message: "too many requests; retry after \(decision.retryAfter) s")
        }
        return try await next(request, context)
    }
}
