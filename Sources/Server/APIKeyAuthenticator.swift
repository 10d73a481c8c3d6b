public import APIKeys
internal import Authz
public import Foundation
public import Identity
internal import NIOPosix

/// Turns a bearer token into an `Authentication`, or refuses it with one and the same 401
/// whatever was wrong — unknown, malformed, revoked, disabled, expired or mistyped — so the
/// answer tells an attacker nothing.
public struct APIKeyAuthenticator<Store: IdentityStore>: Sendable {
    let service: IdentityService<Store>
    let cache: VerifiedKeyCache<Authentication>
    let metrics: ServiceMetrics

    public init(service: IdentityService<Store>, cache: VerifiedKeyCache<Authentication> = VerifiedKeyCache(), metrics: ServiceMetrics = ServiceMetrics()) {
        self.service = service
        self.cache = cache
        self.metrics = metrics
    }

    /// The identity of an already verified key: no store, no hashing.
    public func verified(bearer token: String, at now: Date = Date()) -> Authentication? {
        self.cache.value(for: self.cache.digest(of: token), at: now)
    }

    public func authenticate(bearer token: String, at now: Date = Date()) async throws -> Authentication {
        let digest = self.cache.digest(of: token)
        if let known = self.cache.value(for: digest, at: now) {
            self.metrics.keyCache(hit: true)
            return known
        }
        self.metrics.keyCache(hit: false)
        // An `azk_` key names its record; any other string can only be the configured
        // bootstrap key, and only if it is long enough to be one.
        let keyID: UUID
        let secret: [UInt8]
        if let key = APIKey(parsing: token) {
            (keyID, secret) = (key.id, key.secret)
        } else if token.count >= 32, !token.hasPrefix(APIKey.prefix) {
            (keyID, secret) = (BootstrapKey.configuredKeyID, Array(token.utf8))
        } else {
            throw APIError.unauthorized
        }
        guard let record = try await self.service.apiKey(keyID), record.isUsable(at: now),
            let principal = try await self.service.principal(record.principalID)
        else { throw APIError.unauthorized }
        // argon2id takes tens of milliseconds of CPU: on NIO's blocking pool, not on the
        // threads that serve requests.
        let verified = try await NIOThreadPool.singleton.runIfActive { PasswordHasher.verify(secret, against: record.secretHash) }
        guard verified else { throw APIError.unauthorized }
        let scopes = record.scopes.map { self.service.policy.permissionSet(named: $0).0 }
        let authentication = Authentication(principal: principal, keyID: keyID, scopes: scopes)
        self.cache.insert(authentication, for: digest, keyID: keyID, at: now)
        return authentication
    }
}
