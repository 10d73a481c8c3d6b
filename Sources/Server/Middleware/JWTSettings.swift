/// Accept JWTs from one issuer (docs/API.md §2, §6): `AUTHZ_JWT_ISSUER`, optionally
/// `AUTHZ_JWT_AUDIENCE`, and exactly one way to check signatures — an HS256 secret or a
/// PEM public key (RS256 or ES256).
public struct JWTSettings: Sendable, Equatable {
    public enum Verification: Sendable, Equatable {
        case hs256(secret: String)
        /// The PEM text of an RSA or P-256 public key.
        case publicKey(pem: String)
    }

    public var issuer: String
    public var audience: String?
    public var verification: Verification

    public init(issuer: String, audience: String?, verification: Verification) {
        self.issuer = issuer
        self.audience = audience
        self.verification = verification
    }
}
