public import APIKeys
public import Foundation
public import Identity
internal import JWTKit

/// Signs in users by JWT from the configured issuer: signature, `iss`, `aud`, `exp` and
/// `nbf` checked; the user principal is created the first time its subject is seen.
public struct JWTAuthenticator: Sendable {
    let settings: JWTSettings
    let keys: JWTKeyCollection
    /// The one `alg` a token may name: that of the configured key.
    let algorithm: String
    let service: IdentityService
    let cache: VerifiedKeyCache<Authentication>

    public init(settings: JWTSettings, service: IdentityService, cache: VerifiedKeyCache<Authentication>) async throws {
        let keys = JWTKeyCollection()
        switch settings.verification {
        case .hs256(let secret):
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            self.algorithm = "HS256"
        case .publicKey(let pem):
            // Not RSA: then it must be a P-256 key, whose own error is the one to report.
            if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
                await keys.add(rsa: rsa, digestAlgorithm: .sha256)
                self.algorithm = "RS256"
            } else {
                await keys.add(ecdsa: try ES256PublicKey(pem: pem))
                self.algorithm = "ES256"
            }
        }
        self.settings = settings
        self.keys = keys
        self.service = service
        self.cache = cache
    }

    /// Whether a bearer credential is shaped like a JWT (three base64url parts) rather than
    /// an API key.
    static func looksLikeJWT(_ token: String) -> Bool {
        token.split(separator: ".", omittingEmptySubsequences: false).count == 3 && token.hasPrefix("eyJ")
    }

    public func authenticate(bearer token: String, at now: Date = Date()) async throws -> Authentication {
        let digest = self.cache.digest(of: token)
        if let known = self.cache.value(for: digest, at: now) { return known }
        // JWTKit signs with the one key it holds whatever the header names: the header must
        // name that key's algorithm, so a token cannot pick how it is checked.
        guard Self.algorithm(of: token) == self.algorithm else { throw APIError.unauthorized }
        let claims: TokenClaims
        do {
            claims = try await self.keys.verify(token, as: TokenClaims.self)
        } catch {
            throw APIError.unauthorized
        }
        guard claims.iss.value == self.settings.issuer else { throw APIError.unauthorized }
        if let audience = self.settings.audience {
            guard let claimed = claims.aud, claimed.value.contains(audience) else { throw APIError.unauthorized }
        }
        let subject = "\(claims.iss.value)#\(claims.sub.value)"
        let principal = try await self.principal(subject: subject, email: claims.verifiedEmail, name: claims.name)
        let authentication = Authentication(principal: principal, keyID: principal.id, scopes: nil, isAPIKey: false)
        self.cache.insert(authentication, for: digest, keyID: principal.id, at: now, validUntil: claims.exp.value)
        return authentication
    }

    /// The `alg` of a token's header, if it has one that decodes.
    static func algorithm(of token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let bytes = Data(base64Encoded: base64) else { return nil }
        do {
            return (try JSONSerialization.jsonObject(with: bytes) as? [String: Any])?["alg"] as? String
        } catch {
            // Not JSON: a token no key could verify, refused as any other.
            return nil
        }
    }

    /// The user behind a subject, created on first sight; two first requests at once both end
    /// with the one principal the store kept.
    func principal(subject: String, email: String?, name: String?) async throws -> Principal {
        if let known = try await self.service.principal(externalSubject: subject) { return known }
        do {
            return try await self.service.createPrincipal(kind: .user, email: email, name: name, externalSubject: subject).0
        } catch IdentityError.conflict {
            guard let known = try await self.service.principal(externalSubject: subject) else { throw APIError.unauthorized }
            return known
        }
    }
}
