import Foundation
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
    /// OpenID Connect's claim; an email marked unverified is not kept, so it never accepts an
    /// invitation addressed to it.
    var emailVerified: Bool?
    var name: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, email, name
        case emailVerified = "email_verified"
    }

    /// The email the principal is known by: absent when the issuer says it is unverified.
    var verifiedEmail: String? { self.emailVerified == false ? nil : self.email }

    func verify(using algorithm: some JWTAlgorithm) throws {
        try self.exp.verifyNotExpired()
        try self.nbf?.verifyNotBefore()
        // An empty subject names nobody: it would make every such token one user.
        guard !self.sub.value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw JWTError.claimVerificationFailure(failedClaim: self.sub, reason: "is empty")
        }
    }
}
