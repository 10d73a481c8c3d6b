public import Foundation

/// How long an invitation lives: a week unless asked otherwise, never more than 30 days, so
/// a forgotten link does not stay a way in for long.
public enum InvitationTerms {
    public static let defaultHours = 168
    public static let maximumHours = 720

    public static func expiry(from now: Date, hours: Int?, field: String = "expires_in_hours") throws(IdentityError) -> Date {
        let hours = hours ?? Self.defaultHours
        guard (1...Self.maximumHours).contains(hours) else {
            throw .invalid(field: field, message: "must be between 1 and \(Self.maximumHours) (30 days)")
        }
        return now.addingTimeInterval(TimeInterval(hours) * 3600)
    }

    /// Whether `principal` may accept `invitation` with `token` at `now`. Checked by the
    /// store inside the transaction that marks it used, so two concurrent accepts cannot
    /// both pass.
    ///
    /// The token comes first: without it an invitation is not found, the same answer as for
    /// an id that does not exist, so nobody learns from a guess that an id is real, nor what
    /// became of it. With it, only a principal holding the invited (verified) email accepts:
    /// one without an email — a service, a platform admin's key, a JWT with no `email` or an
    /// unverified one — is refused.
    public static func checkAcceptance(
        of invitation: Invitation,
        by principal: Principal,
        token: InvitationToken,
        at now: Date
    ) throws(IdentityError) {
        guard token.matches(invitation.tokenDigest) else { throw .notFound("invitation") }
        switch invitation.status(at: now) {
        case .pending: break
        case .accepted: throw .gone("the invitation was already used")
        case .revoked: throw .gone("the invitation was revoked")
        case .expired: throw .gone("the invitation has expired")
        }
        guard let email = principal.email else {
            throw .forbidden("the invitation was sent to an email address: accept it signed in with that (verified) email")
        }
        guard EmailAddress.matches(email, invitation.email) else {
            throw .forbidden("the invitation was sent to another email address")
        }
    }
}
