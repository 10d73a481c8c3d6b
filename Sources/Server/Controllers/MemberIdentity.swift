internal import Identity

/// Who a member is, beside its id in member and team-member lists: an admin reads names, not
/// UUIDs. Nil fields when the principal has none (a service has no email).
struct MemberIdentity: Sendable {
    let name: String?
    let email: String?
    let kind: String

    init(_ principal: Principal?) {
        self.name = principal?.name
        self.email = principal?.email
        self.kind = principal?.kind.rawValue ?? PrincipalKind.user.rawValue
    }
}
