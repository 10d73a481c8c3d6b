internal import HTTPTypes
public import Hummingbird
public import Identity

/// Every `/v1` request spends a rate-limit token, then must carry `Authorization: Bearer
/// <key>`; the checked identity goes into the context for the routes and the evaluator.
///
/// The two share one middleware because the order between them is the point: a request whose
/// key is already verified counts against its principal (in the checks group or the default
/// one); any other — no key, a wrong key, a key not yet verified — against its client
/// address, before any argon2id work, so guessing keys cannot burn the CPU.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let authenticator: APIKeyAuthenticator
    /// Present when an issuer is configured; bearer tokens shaped like JWTs go to it.
    let jwt: JWTAuthenticator?
    let limits: RateLimits
    let limiter: RateLimiter<RateLimitKey>

    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/v1" else {
            return try await next(request, context)
        }
        var context = context
        // Public share links need no credential; they spend from their own per-address bucket.
        if path.hasPrefix("/v1/public/") {
            let decision = self.limiter.take(.publicAddress(context.clientAddress), perMinute: self.limits.publicPerAddress)
            context.trace.rateLimit = decision
            guard decision.allowed else {
                throw APIError(.tooManyRequests, code: "rate_limited", message: "too many requests; retry after \(decision.retryAfter) s")
            }
            return try await next(request, context)
        }
        let header = request.headers.value(of: .authorization)
        // A slice of the header: a verified key is found without copying it into a string.
        let token = header.flatMap { $0.hasPrefix("Bearer ") ? $0.dropFirst("Bearer ".count) : nil }
        let known = token.flatMap { self.authenticator.verified(bearer: $0) }
        // A key another request is verifying right now: this one waits for that answer and is
        // charged as its principal then, or to its address if the key turns out wrong. A
        // service starting many connections on a new key spends no address budget on it.
        let waiting = known == nil && token.map { self.authenticator.isBeingVerified(bearer: $0) } == true
        let anonymous = RateLimitKey.address(context.clientAddress)

        if let known {
            try self.charge(known, path: path, context: context)
        } else if !waiting {
            try self.charge(self.limiter.take(anonymous, perMinute: self.limits.perAnonymousAddress), context: context)
        }

        guard let token else { throw APIError.unauthorized }
        let authentication: Authentication
        if let known {
            authentication = known
            self.authenticator.noteCacheHit(known)
        } else if let jwt = self.jwt, case let bearer = String(token), JWTAuthenticator.looksLikeJWT(bearer) {
            authentication = try await jwt.authenticate(bearer: bearer)
        } else {
            do {
                authentication = try await self.authenticator.authenticate(bearer: String(token), origin: context.auditContext())
            } catch {
                if waiting { try self.charge(self.limiter.take(anonymous, perMinute: self.limits.perAnonymousAddress), context: context) }
                throw error
            }
        }
        if known == nil {
            // Now that the key is known, the request counts in its principal's group too, as
            // every later one will: the answer shows the route's limit, not the address's.
            try self.charge(authentication, path: path, context: context)
        }
        context.authentication = authentication
        context.trace.authentication = authentication
        return try await next(request, context)
    }

    /// A token from the principal's bucket: the checks group under `/v1/authz/`, else the
    /// default one.
    func charge(_ caller: Authentication, path: String, context: Context) throws {
        let checks = path.hasPrefix("/v1/authz/")
        let limit = checks ? self.limits.checksPerPrincipal : self.limits.perPrincipal
        try self.charge(self.limiter.take(.principal(caller.principal.id, checks: checks), perMinute: limit), context: context)
    }

    func charge(_ decision: RateLimitDecision, context: Context) throws {
        context.trace.rateLimit = decision
        guard decision.allowed else {
            throw APIError(.tooManyRequests, code: "rate_limited", message: "too many requests; retry after \(decision.retryAfter) s")
        }
    }
}
