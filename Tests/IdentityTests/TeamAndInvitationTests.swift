import Authz
import Foundation
import Identity
import Stores
import Testing

@Suite struct TeamTests {
    @Test(arguments: Backend.enabled)
    func teamsAndTheirGrants(_ backend: Backend) async throws {
        try await backend.run(TeamsAndTheirGrants())
    }
}

struct TeamsAndTheirGrants: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let tina = try await h.user("tina")
        let tom = try await h.user("tom")
        let out = try await h.user("out")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        for member in [tina, tom] { _ = try await h.service.addMember(organization: acme.id, principal: member, role: "member", actor: olivia) }
        let (red, _) = try await h.service.createTeam(organization: acme.id, name: "Red")
        await #expect(throws: IdentityError.conflict("the organization already has a team named 'Red'")) {
            _ = try await h.service.createTeam(organization: acme.id, name: "Red")
        }
        // An admin grants any team role; a maintainer grants up to maintainer; a member nothing.
        _ = try await h.service.setTeamMember(team: red.id, principal: tina, role: "maintainer", actor: olivia)
        _ = try await h.service.setTeamMember(team: red.id, principal: tom, role: "member", actor: tina)
        await #expect(throws: IdentityError.self) {
            _ = try await h.service.setTeamMember(team: red.id, principal: tom, role: "maintainer", actor: tom)
        }
        // Only members of the organization join its teams.
        await #expect(throws: IdentityError.notFound("member")) {
            _ = try await h.service.setTeamMember(team: red.id, principal: out, role: "member", actor: olivia)
        }
        #expect(h.service.snapshot.teamRole(of: tina, in: red.id)?.name == "maintainer")
        #expect(try await h.service.teamMembers(team: red.id, after: nil, limit: 10).count == 2)

        // Removing a member from the organization ends their team memberships, in rows and snapshot.
        _ = try await h.service.removeMember(organization: acme.id, principal: tom, actor: olivia)
        #expect(try await h.service.teamMemberships(of: tom).isEmpty)
        #expect(h.service.snapshot.teamRole(of: tom, in: red.id) == nil)

        // Deleting the team removes its grants.
        _ = try await h.service.deleteTeam(red.id)
        #expect(h.service.snapshot.teamRole(of: tina, in: red.id) == nil)
        #expect(try await h.service.team(red.id) == nil)
        #expect(try await h.service.teamMemberships(of: tina).isEmpty)
    }
}

@Suite struct InvitationStoreTests {
    @Test(arguments: Backend.enabled)
    func acceptGrantsRoleAndTeamRoleOnce(_ backend: Backend) async throws {
        try await backend.run(AcceptGrantsRoleAndTeamRoleOnce())
    }

    @Test(arguments: Backend.enabled)
    func twoConcurrentAcceptsExactlyOneWins(_ backend: Backend) async throws {
        try await backend.run(TwoConcurrentAcceptsExactlyOneWins())
    }

    @Test(arguments: Backend.enabled)
    func refusals(_ backend: Backend) async throws {
        try await backend.run(InvitationRefusals())
    }
}

/// Acme with an owner (olivia), an admin (adam), team Red, and alice who is not a member.
struct InvitationWorld<S: IdentityStore> {
    let h: StoreHarness<S>
    let clock: TestClock
    let olivia: UUID, adam: UUID, alice: UUID
    let acme: Organization
    let red: Team

    init(_ h: StoreHarness<S>) async throws {
        let clock = h.clock
        let olivia = try await h.user("olivia")
        let adam = try await h.user("adam")
        let alice = try await h.user("alice")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        _ = try await h.service.addMember(organization: acme.id, principal: adam, role: "admin", actor: olivia)
        let (red, _) = try await h.service.createTeam(organization: acme.id, name: "Red")
        (self.h, self.clock, self.olivia, self.adam, self.alice, self.acme, self.red) = (h, clock, olivia, adam, alice, acme, red)
    }
}

struct AcceptGrantsRoleAndTeamRoleOnce: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let w = try await InvitationWorld(h)
        let (invitation, token, _) = try await w.h.service.createInvitation(
            organization: w.acme.id,
            email: "ALICE@example.com",
            role: "member",
            team: w.red.id,
            teamRole: "maintainer",
            expiresInHours: nil,
            actor: w.adam
        )
        #expect(invitation.expiresAt == w.clock.now.addingTimeInterval(168 * 3600))
        await #expect(throws: IdentityError.conflict("a pending invitation for this email already exists")) {
            _ = try await w.h.service.createInvitation(
                organization: w.acme.id,
                email: "alice@example.com",
                role: "viewer",
                team: nil,
                teamRole: nil,
                expiresInHours: 1,
                actor: w.adam
            )
        }
        let (_, revision) = try await w.h.service.acceptInvitation(invitation.id, token: token, principal: w.alice)
        #expect(w.h.service.snapshot.revision == revision)
        #expect(w.h.service.snapshot.role(of: w.alice, in: w.acme.id)?.name == "member")
        #expect(w.h.service.snapshot.teamRole(of: w.alice, in: w.red.id)?.name == "maintainer")
        await #expect(throws: IdentityError.gone("the invitation was already used")) {
            _ = try await w.h.service.acceptInvitation(invitation.id, token: token, principal: w.alice)
        }
        // The token was shown once and is nowhere in the database (for SQLite, in no file).
        if S.self == SQLiteIdentityStore.self {
            for file in try FileManager.default.contentsOfDirectory(atPath: w.h.location) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: w.h.location).appendingPathComponent(file))
                #expect(bytes.range(of: Data(token.text.utf8)) == nil, "\(file) holds the token")
            }
        }
        #expect(try await w.h.service.invitation(invitation.id)?.tokenDigest == token.digest)
    }
}

struct TwoConcurrentAcceptsExactlyOneWins: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let w = try await InvitationWorld(h)
        let twin = try await w.h.service.createPrincipal(kind: .user, email: "alice@example.com", name: "twin", externalSubject: "twin").0.id
        let (invitation, token, _) = try await w.h.service.createInvitation(
            organization: w.acme.id,
            email: "alice@example.com",
            role: "viewer",
            team: nil,
            teamRole: nil,
            expiresInHours: 1,
            actor: w.olivia
        )
        async let first = succeeded { try await w.h.service.acceptInvitation(invitation.id, token: token, principal: w.alice) }
        async let second = succeeded { try await w.h.service.acceptInvitation(invitation.id, token: token, principal: twin) }
        let outcomes = await [first, second]
        #expect(outcomes.filter { $0 }.count == 1)
        #expect([w.alice, twin].filter { w.h.service.snapshot.role(of: $0, in: w.acme.id) != nil }.count == 1)
    }

}

struct InvitationRefusals: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let w = try await InvitationWorld(h)
        let service = w.h.service
        // Nobody invites above their own role, at creation...
        await #expect(throws: IdentityError.self) {
            _ = try await service.createInvitation(
                organization: w.acme.id,
                email: "x@example.com",
                role: "owner",
                team: nil,
                teamRole: nil,
                expiresInHours: nil,
                actor: w.adam
            )
        }
        await #expect(throws: IdentityError.invalid(field: "expires_in_hours", message: "must be between 1 and 720 (30 days)")) {
            _ = try await service.createInvitation(
                organization: w.acme.id,
                email: "x@example.com",
                role: "viewer",
                team: nil,
                teamRole: nil,
                expiresInHours: 721,
                actor: w.adam
            )
        }
        await #expect(throws: IdentityError.invalid(field: "email", message: "is not an email address")) {
            _ = try await service.createInvitation(
                organization: w.acme.id,
                email: "x",
                role: "viewer",
                team: nil,
                teamRole: nil,
                expiresInHours: nil,
                actor: w.adam
            )
        }
        // ...and again at acceptance: adam invites an admin, then is demoted to member.
        let (invitation, token, _) = try await service.createInvitation(
            organization: w.acme.id,
            email: "alice@example.com",
            role: "admin",
            team: nil,
            teamRole: nil,
            expiresInHours: nil,
            actor: w.adam
        )
        _ = try await service.changeRole(organization: w.acme.id, principal: w.adam, role: "member", actor: w.olivia)
        await #expect(throws: IdentityError.self) {
            _ = try await service.acceptInvitation(invitation.id, token: token, principal: w.alice)
        }
        _ = try await service.revokeInvitation(invitation.id)
        await #expect(throws: IdentityError.gone("the invitation was revoked")) {
            _ = try await service.acceptInvitation(invitation.id, token: token, principal: w.alice)
        }
        await #expect(throws: IdentityError.gone("the invitation was already revoked")) {
            _ = try await service.revokeInvitation(invitation.id)
        }
        // Expired: the clock moves past the expiry, no sleeping. A new invitation is allowed
        // once the old one is no longer pending.
        let (short, shortToken, _) = try await service.createInvitation(
            organization: w.acme.id,
            email: "alice@example.com",
            role: "viewer",
            team: nil,
            teamRole: nil,
            expiresInHours: 2,
            actor: w.olivia
        )
        w.clock.advance(hours: 2)
        await #expect(throws: IdentityError.gone("the invitation has expired")) {
            _ = try await service.acceptInvitation(short.id, token: shortToken, principal: w.alice)
        }
        // Someone else's email, or the wrong token.
        let (fresh, freshToken, _) = try await service.createInvitation(
            organization: w.acme.id,
            email: "alice@example.com",
            role: "viewer",
            team: nil,
            teamRole: nil,
            expiresInHours: 2,
            actor: w.olivia
        )
        await #expect(throws: IdentityError.forbidden("the invitation was sent to another email address")) {
            _ = try await service.acceptInvitation(fresh.id, token: freshToken, principal: w.adam)
        }
        await #expect(throws: IdentityError.notFound("invitation")) {
            _ = try await service.acceptInvitation(fresh.id, token: InvitationToken.generate(), principal: w.alice)
        }
        #expect(try await service.invitations(organization: w.acme.id, after: nil, limit: 10).count == 3)
        #expect(service.snapshot.role(of: w.alice, in: w.acme.id) == nil)
    }
}

@Suite struct IdentifierTests {
    /// Every id the service makes is a UUIDv7, so a list ordered by id (teams, members,
    /// invitations, keys) lists in creation order, on both stores, even under a clock that
    /// stands still.
    @Test(arguments: Backend.enabled)
    func idsFollowCreationOrder(_ backend: Backend) async throws {
        try await backend.run(IdsFollowCreationOrder())
    }
}

struct IdsFollowCreationOrder: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let olivia = try await h.user("olivia")
        let (acme, _) = try await h.service.createOrganization(name: "Acme", slug: nil, creator: olivia)
        var teams: [UUID] = []
        for name in ["Zulu", "Alpha", "Mike", "Bravo"] { teams.append(try await h.service.createTeam(organization: acme.id, name: name).0.id) }
        var invitations: [UUID] = []
        for name in ["zed", "amy", "kim"] {
            invitations.append(
                try await h.service.createInvitation(
                    organization: acme.id,
                    email: "\(name)@example.com",
                    role: "member",
                    team: nil,
                    teamRole: nil,
                    expiresInHours: nil,
                    actor: olivia
                ).0.id
            )
        }
        var keys: [UUID] = []
        for name in ["b", "a", "c"] {
            keys.append(
                try await h.service.createAPIKey(
                    name: name,
                    organization: acme.id,
                    role: nil,
                    scopes: nil,
                    expiresAt: nil,
                    actor: olivia,
                    hasher: APIKeyStoreTests.cheap
                ).0.record.id
            )
        }
        let people = [olivia] + [try await h.user("yann"), try await h.user("bea")]
        for id in [acme.id] + teams + invitations + keys + people { #expect(id.uuid.6 >> 4 == 7, "\(id) is a UUIDv7") }
        #expect(try await h.service.teams(organization: acme.id, after: nil, limit: 10).map(\.id) == teams)
        #expect(try await h.service.invitations(organization: acme.id, after: nil, limit: 10).map(\.id) == invitations)
        #expect(try await h.service.organizationAPIKeys(acme.id, after: nil, limit: 10).map(\.id) == keys)
        #expect(people == people.sorted { $0.uuidString.lowercased() < $1.uuidString.lowercased() })
    }
}
