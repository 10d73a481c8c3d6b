internal import APIKeys
import Foundation
internal import HTTPTypes
public import Identity

/// The credential rules every way in shares (HTTP's `/v1` routes, gRPC's calls): a rate-limit
/// token first, then `Authorization: Bearer <API key or JWT>`.
///
/// The order is the point: a request whose key is already verified counts against its
/// principal (in the checks group or the default one); any other — no key, a wrong key, a key
/// not yet verified — against its client address, before any argon2id work, so guessing keys
/// cannot burn the CPU.
public struct CredentialGate: Sendable {
    let authenticator: APIKeyAuthenticator
    /// Present when an issuer is configured; bearer tokens shaped like JWTs go to it.
    let jwt: JWTAuthenticator?
    let limits: RateLimits
    let limiter: RateLimiter<RateLimitKey>

    init(authenticator: APIKeyAuthenticator, jwt: JWTAuthenticator?, limits: RateLimits, limiter: RateLimiter<RateLimitKey>) {
        self.authenticator = authenticator
        self.jwt = jwt
        self.limits = limits
        self.limiter = limiter
    }

    /// The caller of a request with this `Authorization` value, from this address, charged to
    /// the checks group (`checks`) or the default one. Every refusal is an `APIError`: one
    /// 401 for any credential problem, 429 when a bucket is empty. `charged` is told of each
    /// rate-limit decision taken, for the answer's headers.
    func authenticate(
        authorization header: String?,
        checks: Bool,
        address: String,
        origin: @autoclosure () -> AuditContext,
        charged: (RateLimitDecision) -> Void = { _ in }
    ) async throws -> Authentication {
        // A slice of the header: a verified key is found without copying it into a string.
        let token = header.flatMap { $0.hasPrefix("Bearer ") ? $0.dropFirst("Bearer ".count) : nil }
        let known = token.flatMap { self.authenticator.verified(bearer: $0) }
        // A key another request is verifying right now: this one waits for that answer and is
        // charged as its principal then, or to its address if the key turns out wrong. A
        // service starting many connections on a new key spends no address budget on it.
        let waiting = known == nil && token.map { self.authenticator.isBeingVerified(bearer: $0) } == true
        let anonymous = RateLimitKey.address(address)
        func charge(_ decision: RateLimitDecision) throws {
            charged(decision)
            guard decision.allowed else {
                throw APIError(.tooManyRequests, code: "rate_limited", message: "too many requests; retry after \(decision.retryAfter) s")
            }
        }
        func charge(_ caller: Authentication) throws {
            let limit = checks ? self.limits.checksPerPrincipal : self.limits.perPrincipal
            try charge(self.limiter.take(.principal(caller.principal.id, checks: checks), perMinute: limit))
        }

        if let known {
            try charge(known)
        } else if !waiting {
            try charge(self.limiter.take(anonymous, perMinute: self.limits.perAnonymousAddress))
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
                authentication = try await self.authenticator.authenticate(bearer: String(token), origin: origin())
            } catch {
                if waiting { try charge(self.limiter.take(anonymous, perMinute: self.limits.perAnonymousAddress)) }
                throw error
            }
        }
        if known == nil {
            // Now that the key is known, the request counts in its principal's group too, as
            // every later one will: the answer shows the route's limit, not the address's.
            try charge(authentication)
        }
        return authentication
    }
}
