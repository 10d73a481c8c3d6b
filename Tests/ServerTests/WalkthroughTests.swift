import APIKeys
import Authz
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import Stores
import Testing

@testable import Server

@Suite struct WalkthroughTests {
    /// The README's walkthrough, over HTTP: a user creates an organization, invites a second
    /// identity, which accepts; a team is made and the invitee joins it; checks follow.
    @Test func organizationInvitationTeamCheck() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let service = app.service
            let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
            func user(_ name: String) async throws -> (UUID, String) {
                let (principal, _) = try await service.createPrincipal(kind: .user, email: "\(name)@example.com", name: name, externalSubject: name)
                let key = APIKey.generate(id: UUID())
                let record = APIKeyRecord(
                    id: key.id,
                    principalID: principal.id,
                    organizationID: nil,
                    name: name,
                    secretHash: hasher.hash(key.secret),
                    role: nil,
                    scopes: nil,
                    status: .active,
                    createdAt: Date(),
                    expiresAt: nil,
                    lastUsedAt: nil
                )
                _ = try await service.store.write { transaction in
                    try await transaction.insertAPIKey(record)
                    return ((), [])
                }
                return (principal.id, key.rendered)
            }
            let (_, olivia) = try await user("olivia")
            let (aliceID, alice) = try await user("alice")

            var (status, body) = try await client.call(.post, "/v1/organizations", bearer: olivia, json: #"{"name":"Acme"}"#)
            #expect(status == .created)
            let acme = try #require(data(body)["id"] as? String)

            (status, body) = try await client.call(
                .post,
                "/v1/invitations",
                bearer: olivia,
                json: #"{"organization_id":"\#(acme)","email":"Alice@Example.com","role":"member"}"#
            )
            #expect(status == .created)
            let invitation = try #require(data(body)["id"] as? String)
            let token = try #require(data(body)["token"] as? String)
            #expect(token.count == 64 && data(body)["status"] as? String == "pending")
            // The token is shown once: listing never returns it.
            (status, body) = try await client.call(.get, "/v1/organizations/\(acme)/invitations", bearer: olivia)
            let listed = (data(body)["items"] as? [[String: Any]])?.first
            #expect(listed?["id"] as? String == invitation && listed?["token"] == nil)
            // Alice cannot read acme yet.
            #expect(try await client.call(.get, "/v1/organizations/\(acme)", bearer: alice).0 == .notFound)
            (status, body) = try await client.call(.post, "/v1/invitations/\(invitation)/accept", bearer: alice, json: #"{"token":"\#(token)"}"#)
            #expect(status == .ok && data(body)["role"] as? String == "member")
            #expect(try await client.call(.post, "/v1/invitations/\(invitation)/accept", bearer: alice, json: #"{"token":"\#(token)"}"#).0 == .gone)

            (status, body) = try await client.call(.post, "/v1/teams", bearer: alice, json: #"{"organization_id":"\#(acme)","name":"Red"}"#)
            #expect(status == .forbidden)
            (status, body) = try await client.call(.post, "/v1/teams", bearer: olivia, json: #"{"organization_id":"\#(acme)","name":"Red"}"#)
            #expect(status == .created)
            let red = try #require(data(body)["id"] as? String)
            (status, body) = try await client.call(
                .put,
                "/v1/teams/\(red)/members/\(aliceID.uuidString)",
                bearer: olivia,
                json: #"{"role":"maintainer"}"#
            )
            #expect(status == .ok && data(body)["role"] as? String == "maintainer")
            (status, body) = try await client.call(.get, "/v1/teams/\(red)/members", bearer: alice)
            #expect((data(body)["items"] as? [[String: Any]])?.count == 1)

            // Alice may update Red (maintainer) but not create teams (member of acme).
            (status, body) = try await client.call(
                .post,
                "/v1/authz/check-batch",
                bearer: alice,
                json:
                    #"{"checks":[{"permission":"team.update","resource":{"type":"team","id":"\#(red)"}},{"permission":"team.create","resource":{"type":"organization","id":"\#(acme)"}}]}"#
            )
            #expect((data(body)["results"] as? [[String: Any]])?.map { $0["allowed"] as? Bool } == [true, false])

            (status, body) = try await client.call(.get, "/v1/me/organizations", bearer: alice)
            #expect((data(body)["items"] as? [[String: Any]])?.map { $0["role"] as? String } == ["member"])
            (status, body) = try await client.call(.get, "/v1/me/teams", bearer: alice)
            #expect((data(body)["items"] as? [[String: Any]])?.map { $0["role"] as? String } == ["maintainer"])
            (status, body) = try await client.call(.get, "/v1/me/permissions?organization_id=\(acme)", bearer: alice)
            #expect(data(body)["role"] as? String == "member")
            #expect((data(body)["permissions"] as? [String])?.contains("job.create") == true)
            #expect(((data(body)["teams"] as? [[String: Any]])?.first?["permissions"] as? [String])?.contains("team.update") == true)
            #expect(try await client.call(.get, "/v1/me/permissions?organization_id=\(UUID().uuidString)", bearer: alice).0 == .notFound)
            #expect(try await client.call(.get, "/v1/me/permissions", bearer: alice).0 == .badRequest)

            // Revoking: the invitation is then gone; deleting the team ends its grants.
            (status, body) = try await client.call(
                .post,
                "/v1/invitations",
                bearer: olivia,
                json: #"{"organization_id":"\#(acme)","email":"bob@example.com","role":"viewer","expires_in_hours":721}"#
            )
            #expect(status == .badRequest && details(body) == ["expires_in_hours: must be between 1 and 720 (30 days)"])
            (status, body) = try await client.call(
                .post,
                "/v1/invitations",
                bearer: olivia,
                json: #"{"organization_id":"\#(acme)","email":"bob@example.com","role":"viewer"}"#
            )
            let bobInvitation = try #require(data(body)["id"] as? String)
            #expect(try await client.call(.post, "/v1/invitations/\(bobInvitation)/revoke", bearer: alice).0 == .forbidden)
            #expect(try await client.call(.post, "/v1/invitations/\(bobInvitation)/revoke", bearer: olivia).0 == .ok)
            #expect(try await client.call(.post, "/v1/invitations/\(bobInvitation)/revoke", bearer: olivia).0 == .gone)
            #expect(try await client.call(.delete, "/v1/teams/\(red)", bearer: alice).0 == .forbidden)
            #expect(try await client.call(.delete, "/v1/teams/\(red)", bearer: olivia).0 == .ok)
            #expect(try await client.call(.get, "/v1/teams/\(red)", bearer: alice).0 == .notFound)
        }
    }
}
