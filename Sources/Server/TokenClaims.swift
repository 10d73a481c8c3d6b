internal import JWTKit

/// The claims a JWT must carry to sign in: issuer, subject and expiry always; audience and
/// not-before when present. A token without `exp` is refused: a credential that never
/// expires is an API key's job.
struct TokenClaims: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim?
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?
    var email: String?
    var name: String?

    func verify(using algorithm: some JWTAlgorithm) throws {
        try self.exp.verifyNotExpired()
        try self.nbf?.verifyNotBefore()
    }
}
