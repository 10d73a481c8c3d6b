import Authz
import Foundation
import Identity
import Testing

@Suite struct RoleGrantRuleTests {
    let policy = DefaultPolicy.policy

    func grant(_ granter: String?, _ role: String, admin: Bool = false) -> IdentityError? {
        do {
            try RoleGrantRule.check(granterRole: granter, isPlatformAdmin: admin, grants: role, policy: self.policy)
            return nil
        } catch {
            return error
        }
    }

    @Test func nobodyGrantsAboveTheirOwnRole() {
        #expect(self.grant("owner", "owner") == nil)
        #expect(self.grant("admin", "admin") == nil)
        #expect(self.grant("admin", "viewer") == nil)
        #expect(self.grant("admin", "owner") == .forbidden("a admin cannot grant the role 'owner', which is above their own"))
        #expect(self.grant("member", "admin") != nil)
        #expect(self.grant("viewer", "member") != nil)
        #expect(self.grant(nil, "viewer") != nil)
        #expect(self.grant(nil, "owner", admin: true) == nil)
        #expect(
            self.grant("owner", "superuser") == .invalid(field: "role", message: "unknown role 'superuser' (one of: owner, admin, member, viewer)")
        )
    }

    @Test func teamRoles() {
        func grant(_ organizationRole: String?, _ teamRole: String?, _ role: String) -> Bool {
            (try? RoleGrantRule.checkTeamRole(
                granterOrganizationRole: organizationRole,
                granterTeamRole: teamRole,
                isPlatformAdmin: false,
                grants: role,
                policy: self.policy
            )) != nil
        }
        #expect(grant("admin", nil, "maintainer"))
        #expect(grant("member", "maintainer", "maintainer"))
        #expect(grant("member", "maintainer", "member"))
        #expect(!grant("member", "member", "maintainer"))
        #expect(!grant("member", nil, "member"))
        #expect(!grant("viewer", nil, "member"))
    }
}

@Suite struct OwnershipRuleTests {
    let policy = DefaultPolicy.policy

    @Test func lastOwnerStays() {
        #expect(throws: IdentityError.conflict("the last owner cannot be removed")) {
            try OwnershipRule.check(currentRole: "owner", newRole: nil, ownerCount: 1, policy: self.policy)
        }
        #expect(throws: IdentityError.conflict("the last owner cannot be demoted")) {
            try OwnershipRule.check(currentRole: "owner", newRole: "admin", ownerCount: 1, policy: self.policy)
        }
        #expect(throws: Never.self) {
            try OwnershipRule.check(currentRole: "owner", newRole: "admin", ownerCount: 2, policy: self.policy)
            try OwnershipRule.check(currentRole: "owner", newRole: "owner", ownerCount: 1, policy: self.policy)
            try OwnershipRule.check(currentRole: "admin", newRole: nil, ownerCount: 1, policy: self.policy)
        }
    }
}

@Suite struct InvitationTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func invitation(email: String = "Alice@Example.com", token: InvitationToken, expiresIn hours: Double = 24) -> Invitation {
        Invitation(
            id: UUID(),
            organizationID: UUID(),
            email: email,
            role: "member",
            teamID: nil,
            teamRole: nil,
            invitedBy: UUID(),
            tokenDigest: token.digest,
            createdAt: self.now,
            expiresAt: self.now.addingTimeInterval(hours * 3600)
        )
    }

    func principal(email: String?) -> Principal {
        Principal(
            id: UUID(),
            kind: email == nil ? .service : .user,
            email: email,
            name: nil,
            externalSubject: nil,
            isPlatformAdmin: false,
            createdAt: self.now
        )
    }

    @Test func expiryDefaultsToAWeekAndIsCappedAt30Days() throws {
        #expect(try InvitationTerms.expiry(from: self.now, hours: nil) == self.now.addingTimeInterval(168 * 3600))
        #expect(try InvitationTerms.expiry(from: self.now, hours: 720) == self.now.addingTimeInterval(720 * 3600))
        #expect(throws: IdentityError.invalid(field: "expires_in_hours", message: "must be between 1 and 720 (30 days)")) {
            try InvitationTerms.expiry(from: self.now, hours: 721)
        }
        #expect(throws: IdentityError.self) { try InvitationTerms.expiry(from: self.now, hours: 0) }
    }

    @Test func acceptanceBindsTokenAndEmail() throws {
        let token = InvitationToken.generate()
        let invitation = self.invitation(token: token)
        try InvitationTerms.checkAcceptance(of: invitation, by: self.principal(email: "alice@example.COM"), token: token, at: self.now)
        #expect(throws: IdentityError.forbidden("the invitation was sent to another email address")) {
            try InvitationTerms.checkAcceptance(of: invitation, by: self.principal(email: "mallory@example.com"), token: token, at: self.now)
        }
        // A wrong token finds nothing: the answer for an id that does not exist.
        #expect(throws: IdentityError.notFound("invitation")) {
            try InvitationTerms.checkAcceptance(
                of: invitation,
                by: self.principal(email: "alice@example.com"),
                token: InvitationToken.generate(),
                at: self.now
            )
        }
        // A principal without an email (a service, an admin key, a JWT without a verified
        // email) cannot accept an invitation addressed to one.
        #expect(throws: IdentityError.forbidden("the invitation was sent to an email address: accept it signed in with that (verified) email")) {
            try InvitationTerms.checkAcceptance(of: invitation, by: self.principal(email: nil), token: token, at: self.now)
        }
    }

    @Test func usedRevokedAndExpiredAreGone() {
        let token = InvitationToken.generate()
        let base = self.invitation(token: token, expiresIn: 1)
        let alice = self.principal(email: "alice@example.com")
        #expect(throws: IdentityError.gone("the invitation has expired")) {
            try InvitationTerms.checkAcceptance(of: base, by: alice, token: token, at: self.now.addingTimeInterval(3600))
        }
        let used = Invitation(
            id: base.id,
            organizationID: base.organizationID,
            email: base.email,
            role: base.role,
            teamID: nil,
            teamRole: nil,
            invitedBy: base.invitedBy,
            tokenDigest: base.tokenDigest,
            createdAt: base.createdAt,
            expiresAt: base.expiresAt,
            acceptedAt: self.now,
            acceptedBy: alice.id,
            revokedAt: nil
        )
        #expect(used.status(at: self.now.addingTimeInterval(7200)) == .accepted)
        #expect(throws: IdentityError.gone("the invitation was already used")) {
            try InvitationTerms.checkAcceptance(of: used, by: alice, token: token, at: self.now)
        }
        let revoked = Invitation(
            id: base.id,
            organizationID: base.organizationID,
            email: base.email,
            role: base.role,
            teamID: nil,
            teamRole: nil,
            invitedBy: base.invitedBy,
            tokenDigest: base.tokenDigest,
            createdAt: base.createdAt,
            expiresAt: base.expiresAt,
            revokedAt: self.now
        )
        #expect(throws: IdentityError.gone("the invitation was revoked")) {
            try InvitationTerms.checkAcceptance(of: revoked, by: alice, token: token, at: self.now)
        }
    }

    @Test func tokensAreLongRandomAndRedacted() {
        let tokens = (0..<1000).map { _ in InvitationToken.generate() }
        #expect(Set(tokens.map(\.text)).count == 1000)
        #expect(tokens.allSatisfy { $0.text.count == 64 && $0.text.allSatisfy(\.isHexDigit) })
        #expect(tokens[0].digest.count == 32 && tokens[0].matches(tokens[0].digest) && !tokens[0].matches(tokens[1].digest))
        #expect(!"\(tokens[0])".contains(tokens[0].text))
    }
}

@Suite struct NamingTests {
    @Test func slugs() throws {
        #expect(try Slug(validating: "acme-corp").value == "acme-corp")
        #expect(throws: IdentityError.invalid(field: "slug", message: "may contain only lower-case letters, digits and '-'")) {
            try Slug(validating: "Acme")
        }
        #expect(throws: IdentityError.invalid(field: "slug", message: "must not start or end with '-'")) { try Slug(validating: "-acme") }
        #expect(throws: IdentityError.invalid(field: "slug", message: "must be 2 to 63 characters")) { try Slug(validating: "a") }
        #expect(Slug.derived(from: "  Acme Corp. (EU) ")?.value == "acme-corp-eu")
        #expect(Slug.derived(from: "!!") == nil)
    }

    @Test func names() throws {
        #expect(try Organization.validateName("  Acme  ") == "Acme")
        #expect(throws: IdentityError.invalid(field: "name", message: "must not be empty")) { try Organization.validateName("   ") }
        #expect(throws: IdentityError.self) { try Organization.validateName(String(repeating: "x", count: 201)) }
        // Blank is exactly what the OpenAPI document's name pattern calls blank: spaces, tabs,
        // CR and LF; the length is counted as JSON Schema counts it, in scalars, as sent.
        #expect(try Organization.validateName("\u{0C}") == "\u{0C}")
        #expect(throws: IdentityError.invalid(field: "name", message: "must not be empty")) { try Organization.validateName(" \t\r\n ") }
        #expect(throws: IdentityError.self) { try Organization.validateName("e\u{301}" + String(repeating: "e\u{301}", count: 100)) }
        #expect(try Organization.validateName(" " + String(repeating: "x", count: 198) + " ") == String(repeating: "x", count: 198))
    }

    /// A name with too few Latin letters still makes an organization: its slug is `org-` and
    /// what there is, made unique.
    @Test func slugsForAnyName() async throws {
        #expect(Slug.letters(of: "0") == "0" && Slug.derived(from: "0") == nil)
        #expect(Slug.letters(of: String(repeating: "ab ", count: 40)).count <= 50)
    }

    @Test func emails() {
        #expect(EmailAddress.matches("Alice@Example.com", " alice@example.COM"))
        #expect(EmailAddress.isPlausible("alice@example.com"))
        #expect(!EmailAddress.isPlausible("alice@example"))
        #expect(!EmailAddress.isPlausible("alice example@x.com"))
        #expect(!EmailAddress.isPlausible("@example.com"))
    }
}

@Suite struct ChangeLogEntryTests {
    let acme = UUID(), red = UUID(), olivia = UUID(), adam = UUID(), alice = UUID()
    let entries: [ChangeLogEntry]

    init() {
        let (acme, red, olivia, adam, alice) = (self.acme, self.red, self.olivia, self.adam, self.alice)
        self.entries = [
            .principalCreated(principal: olivia, kind: .user, platformAdmin: false),
            .organizationCreated(organization: acme, owner: olivia, ownerRole: "owner"),
            .memberAdded(organization: acme, principal: adam, role: "member"),
            .memberRoleChanged(organization: acme, principal: adam, role: "admin"),
            .teamCreated(organization: acme, team: red),
            .invitationCreated(organization: acme, invitation: UUID()),
            .invitationAccepted(organization: acme, invitation: UUID(), principal: alice, role: "viewer", team: red, teamRole: "maintainer"),
            .ownershipTransferred(organization: acme, from: olivia, to: adam, ownerRole: "owner", previousOwnerRole: "admin"),
            .teamMemberSet(organization: acme, team: red, principal: adam, role: "member"),
            .teamMemberRemoved(organization: acme, team: red, principal: adam),
            .invitationRevoked(organization: acme, invitation: UUID()),
            .resourceCreated(organization: acme, type: "job", id: UUID(), team: red, creator: alice),
        ]
    }

    @Test func roundTripsAsJSON() throws {
        let data = try JSONEncoder().encode(self.entries)
        #expect(try JSONDecoder().decode([ChangeLogEntry].self, from: data) == self.entries)
        #expect(self.entries.dropFirst().allSatisfy { $0.organizationID == acme })
    }

    /// Applying the entries' snapshot changes in order gives the access they describe.
    @Test func drivesTheSnapshot() throws {
        var snapshot = AuthzSnapshot(policy: DefaultPolicy.policy)
        for (revision, entry) in self.entries.enumerated() {
            snapshot = try snapshot.applying(entry.snapshotChanges, revision: UInt64(revision + 1))
        }
        #expect(snapshot.role(of: adam, in: acme)?.name == "owner")
        #expect(snapshot.role(of: olivia, in: acme)?.name == "admin")
        #expect(snapshot.role(of: alice, in: acme)?.name == "viewer")
        #expect(snapshot.teamRole(of: alice, in: red)?.name == "maintainer")
        #expect(snapshot.teamRole(of: adam, in: red) == nil)
        let removed = try snapshot.applying(ChangeLogEntry.memberRemoved(organization: acme, principal: alice).snapshotChanges, revision: 100)
        #expect(removed.teamRole(of: alice, in: red) == nil && removed.role(of: alice, in: acme) == nil)
        let deleted = try removed.applying(
            ChangeLogEntry.organizationDeleted(organization: acme, name: "Acme", members: [], keys: [], jobs: [], runs: []).snapshotChanges,
            revision: 101
        )
        #expect(!deleted.containsOrganization(acme))
    }
}

@Suite struct DatabaseURLTests {
    @Test func parsesBothBackendsAndHidesThePassword() throws {
        #expect(try DatabaseURL(parsing: "sqlite://.data/authz.sqlite") == .sqlite(path: ".data/authz.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/authz.sqlite") == .sqlite(path: "/var/lib/authz.sqlite"))
        let postgres = try DatabaseURL(parsing: "postgres://authz:s%40cret@db.internal:6543/authz")
        #expect(postgres == .postgres(host: "db.internal", port: 6543, username: "authz", password: "s@cret", database: "authz"))
        #expect(postgres.description == "postgres://authz:***@db.internal:6543/authz")
        #expect(
            try DatabaseURL(parsing: "postgresql://u@localhost/db")
                == .postgres(host: "localhost", port: 5432, username: "u", password: nil, database: "db")
        )
        for bad in ["", "sqlite://", "mysql://u@h/db", "postgres://h/db", "postgres://u@h/"] {
            #expect(throws: IdentityError.self, "\(bad)") { try DatabaseURL(parsing: bad) }
        }
    }
}
