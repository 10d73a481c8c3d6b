public import APIKeys
internal import Authz
public import Foundation
public import Identity
import JSON
internal import Logging
internal import NIOPosix

/// Turns a bearer token into an `Authentication`, or refuses it with one and the same 401
/// whatever was wrong — unknown, malformed, revoked, disabled, expired or mistyped — so the
/// answer tells an attacker nothing.
public struct APIKeyAuthenticator: Sendable {
    let service: IdentityService
    let cache: VerifiedKeyCache<Authentication>
    let metrics: ServiceMetrics
    let usage: UseThrottle
    /// Verifications under way, by the presented key's digest: concurrent first uses of one
    /// key wait for one argon2id verification instead of each running its own.
    let verifications: SingleFlight<KeyDigest, Authentication>

    public init(
        service: IdentityService,
        cache: VerifiedKeyCache<Authentication> = VerifiedKeyCache(),
        metrics: ServiceMetrics = ServiceMetrics(),
        usage: UseThrottle = UseThrottle(interval: 60)
    ) {
        self.service = service
        self.cache = cache
        self.metrics = metrics
        self.usage = usage
        self.verifications = SingleFlight()
    }

    /// The identity of an already verified key: no store, no hashing.
    public func verified(bearer token: some StringProtocol, at now: Date = Date()) -> Authentication? {
        self.cache.value(for: self.cache.digest(of: token), at: now)
    }

    /// Whether this very key is being verified now (another request presented it first).
    public func isBeingVerified(bearer token: some StringProtocol) -> Bool {
        self.verifications.isInFlight(self.cache.digest(of: token))
    }

    /// `origin` (request id, peer address, user agent) goes into the audit record of a failure.
    public func authenticate(
        bearer token: String,
        origin: AuditContext = AuditContext(actorID: nil),
        at now: Date = Date()
    ) async throws -> Authentication {
        let digest = self.cache.digest(of: token)
        if let known = self.cache.value(for: digest, at: now) {
            self.noteCacheHit(known, at: now)
            return known
        }
        self.metrics.keyCache(hit: false)
        return try await self.verifications.run(digest) {
            try await self.verify(bearer: token, digest: digest, origin: origin, at: now)
        }
    }

    /// The store and argon2id part of `authenticate`, run once per key however many requests
    /// present it at the same moment; its refusal (audited once) is every waiter's answer.
    private func verify(bearer token: String, digest: KeyDigest, origin: AuditContext, at now: Date) async throws -> Authentication {
        // An `azk_` key names its record; any other string can only be the configured
        // bootstrap key, and only if it is long enough to be one.
        let keyID: UUID
        let secret: [UInt8]
        if let key = APIKey(parsing: token) {
            (keyID, secret) = (key.id, key.secret)
        } else if token.count >= 32, !token.hasPrefix(APIKey.prefix) {
            (keyID, secret) = (BootstrapKey.configuredKeyID, Array(token.utf8))
        } else {
            throw await self.refuse(keyID: nil, reason: "malformed", origin: origin)
        }
        guard let record = try await self.service.apiKey(keyID) else {
            throw await self.refuse(keyID: keyID, reason: "unknown key", origin: origin)
        }
        guard record.isUsable(at: now), let principal = try await self.service.principal(record.principalID) else {
            let reason = record.status != .active ? record.status.rawValue : "expired"
            throw await self.refuse(keyID: keyID, reason: reason, origin: origin)
        }
        // argon2id takes tens of milliseconds of CPU: on NIO's blocking pool, not on the
        // threads that serve requests.
        let verified = try await NIOThreadPool.singleton.runIfActive { PasswordHasher.verify(secret, against: record.secretHash) }
        self.metrics.keyVerified()
        guard verified else { throw await self.refuse(keyID: keyID, reason: "wrong secret", origin: origin) }
        let scopes = record.scopes.map { self.service.policy.permissionSet(named: $0).0 }
        let authentication = Authentication(principal: principal, keyID: keyID, scopes: scopes)
        // An expiring key (a rotated one in its grace period, too) leaves the cache when it
        // expires; a revoke or disable evicts it through the change log.
        self.cache.insert(authentication, for: digest, keyID: keyID, at: now, validUntil: record.expiresAt)
        self.noteUse(of: keyID, at: now)
        return authentication
    }

    /// A key served from the verified-key cache: counted, and its use recorded.
    func noteCacheHit(_ known: Authentication, at now: Date = Date()) {
        self.metrics.keyCache(hit: true)
        self.noteUse(of: known.keyID, at: now)
    }

    /// Audits the failure (its reason stays in the audit log) and returns the one answer
    /// every client gets.
    func refuse(keyID: UUID?, reason: String, origin: AuditContext) async -> APIError {
        await Self.logger.attempt("audit a failed authentication", metadata: ["reason": "\(reason)"]) {
            try await self.service.recordFailedAuthentication(keyID: keyID, reason: reason, origin: origin)
        }
        return APIError.unauthorized
    }

    /// Writes `last_used_at` off the request path, at most once a minute per key.
    func noteUse(of keyID: UUID, at now: Date) {
        guard self.usage.isDue(keyID, at: now) else { return }
        let service = self.service
        Task {
            await Self.logger.attempt("record a key's last use", metadata: ["key_id": "\(keyID.text)"]) {
                try await service.recordUse(ofKey: keyID, at: now)
            }
        }
    }

    static var logger: Logger { Logger(label: "authz.keys") }
}
