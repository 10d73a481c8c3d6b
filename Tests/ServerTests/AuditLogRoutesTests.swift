import APIKeys
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JSON
import Testing

@testable import Server

/// The audit-log routes: who may read which log, the filters, pagination, and that each
/// identity mutation made through the API is there with the request it came from.
@Suite struct AuditLogRoutesTests {
    /// Each record (and the event with it) says what changed in words a reader needs: the
    /// team's name, the invitation's email and roles, the old and new role; never its token.
    @Test func recordsSummarizeWhatChanged() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let owner = w.keys["owner"]!
            let (_, _, team) = try await client.send(.post, "/v1/teams", bearer: owner, json: #"{"organization_id": "\#(w.acme)", "name": "Blue"}"#)
            let teamID = try #require(data(team)["id"] as? String)
            _ = try await client.send(.put, "/v1/teams/\(teamID)/members/\(w.member)", bearer: owner, json: #"{"role": "member"}"#)
            _ = try await client.send(.put, "/v1/teams/\(teamID)/members/\(w.member)", bearer: owner, json: #"{"role": "maintainer"}"#)
            _ = try await client.send(.delete, "/v1/teams/\(teamID)/members/\(w.member)", bearer: owner)
            _ = try await client.send(.patch, "/v1/organizations/\(w.acme)/members/\(w.member)", bearer: owner, json: #"{"role": "admin"}"#)
            let (_, _, invitation) = try await client.send(
                .post,
                "/v1/invitations",
                bearer: owner,
                json:
                    #"{"organization_id": "\#(w.acme)", "email": "new@example.com", "role": "viewer", "team_id": "\#(teamID)", "team_role": "member"}"#
            )
            let invitationID = try #require(data(invitation)["id"] as? String)
            let token = try #require(data(invitation)["token"] as? String)
            _ = try await client.send(.post, "/v1/invitations/\(invitationID)/revoke", bearer: owner)
            _ = try await client.send(.delete, "/v1/teams/\(teamID)", bearer: owner)
            _ = try await client.send(.delete, "/v1/organizations/\(w.acme)/members/\(w.member)", bearer: owner)

            let (_, _, log) = try await client.send(.get, "/v1/organizations/\(w.acme)/audit-logs?limit=100", bearer: owner)
            let raw = String(decoding: try JSONSerialization.data(withJSONObject: log), as: UTF8.self)
            let items = try #require(data(log)["items"] as? [[String: Any]])
            func summary(_ action: String) -> [[String: String]] {
                items.filter { $0["action"] as? String == action }.map { $0["data"] as? [String: String] ?? [:] }
            }
            #expect(summary("team.created").last == ["name": "Blue"])
            #expect(
                summary("team.member_set").suffix(2) == [
                    ["team": teamID, "role": "member"], ["team": teamID, "role": "maintainer", "previous_role": "member"],
                ]
            )
            #expect(summary("team.member_removed") == [["team": teamID, "role": "maintainer"]])
            #expect(summary("member.role_changed") == [["role": "admin", "previous_role": "member"]])
            #expect(summary("invitation.created") == [["email": "new@example.com", "role": "viewer", "team": teamID, "team_role": "member"]])
            #expect(summary("invitation.revoked") == [["email": "new@example.com", "role": "viewer"]])
            #expect(summary("team.deleted") == [["name": "Blue"]])
            #expect(summary("member.removed") == [["role": "admin"]])
            #expect(!raw.contains(token))
        }
    }

    @Test func anOrganizationsLogWithFiltersAndPages() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let world = try await CheckWorld(app)
            let (owner, member, stranger) = (world.keys["owner"]!, world.keys["member"]!, world.keys["stranger"]!)
            // Changes made through the API, by the owner.
            let (_, _, team) = try await client.send(
                .post,
                "/v1/teams",
                bearer: owner,
                json: #"{"organization_id": "\#(world.acme)", "name": "Blue"}"#
            )
            let teamID = try #require(data(team)["id"] as? String)
            _ = try await client.send(
                .put,
                "/v1/teams/\(teamID)/members/\(world.member)",
                bearer: owner,
                json: #"{"role": "member"}"#,
                headers: [.userAgent: "audit-test/1.0"]
            )

            let base = "/v1/organizations/\(world.acme)/audit-logs"
            let (status, _, all) = try await client.send(.get, base, bearer: owner)
            #expect(status == .ok)
            let items = try #require(data(all)["items"] as? [[String: Any]])
            let actions = items.map { $0["action"] as? String ?? "" }
            #expect(
                actions.first == "organization.created" && actions.contains("member.added")
                    && actions.suffix(2) == ["team.created", "team.member_set"]
            )
            let last = try #require(items.last)
            #expect(last["actor_id"] as? String == world.owner.text && last["key_id"] is String && last["request_id"] is String)
            #expect(last["user_agent"] as? String == "audit-test/1.0" && last["outcome"] as? String == "success")
            #expect((last["target"] as? [String: Any])?["id"] as? String == world.member.text && (last["hash"] as? String)?.count == 64)

            // Filters.
            // (The world's team Red was created by the service directly, with no actor.)
            let (_, _, byAction) = try await client.send(.get, "\(base)?action=team.created", bearer: owner)
            #expect((data(byAction)["items"] as? [[String: Any]])?.map { $0["actor_id"] is NSNull } == [true, false])
            let (_, _, byActor) = try await client.send(.get, "\(base)?actor=\(world.owner)&action=team.member_set&outcome=success", bearer: owner)
            #expect((data(byActor)["items"] as? [[String: Any]])?.count == 2)
            let future = Timestamp.format(Date().addingTimeInterval(3600))
            let (_, _, none) = try await client.send(.get, "\(base)?from=\(future)", bearer: owner)
            #expect((data(none)["items"] as? [Any])?.isEmpty == true)
            let (bad, _, problems) = try await client.send(.get, "\(base)?outcome=maybe&actor=me&from=yesterday", bearer: owner)
            #expect(bad == .badRequest && Set(details(problems).map { $0.split(separator: ":")[0] }) == ["actor", "outcome", "from"])

            // Pages.
            var seen: [String] = []
            var next: String? = "\(base)?limit=2"
            while let page = next {
                let (_, _, body) = try await client.send(.get, page, bearer: owner)
                seen += (data(body)["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                next = (body["links"] as? [String: Any])?["next"] as? String
            }
            #expect(seen == items.compactMap { $0["id"] as? String })

            // Who may read: audit_log.read (admins) in the organization; others 403, outsiders 404.
            #expect(try await client.send(.get, base, bearer: member).0 == .forbidden)
            #expect(try await client.send(.get, base, bearer: stranger).0 == .notFound)
            // The platform log: platform admins only.
            #expect(try await client.send(.get, "/v1/audit-logs", bearer: owner).0 == .forbidden)
            let (_, _, platform) = try await client.send(.get, "/v1/audit-logs?organization_id=\(world.globex)", bearer: app.adminKey)
            #expect((data(platform)["items"] as? [[String: Any]])?.first?["action"] as? String == "organization.created")
            #expect(
                try await app.service.verifyAudit()
                    == .intact(events: try await app.service.auditRecords(AuditFilter(), after: 0, limit: 1000).count, chains: 3)
            )
        }
    }

    /// Refusals are audited in the log of the organization whose resource was refused: a 403
    /// for a member without the permission, a 404 for an outsider; an unknown id is not.
    @Test func refusedRequestsAreAudited() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let world = try await CheckWorld(app)
            let (owner, member, stranger) = (world.keys["owner"]!, world.keys["member"]!, world.keys["stranger"]!)
            #expect(
                try await client.send(.post, "/v1/teams", bearer: member, json: #"{"organization_id": "\#(world.acme)", "name": "X"}"#).0
                    == .forbidden
            )
            #expect(try await client.send(.get, "/v1/organizations/\(world.acme)", bearer: stranger).0 == .notFound)
            #expect(try await client.send(.get, "/v1/organizations/\(UUID())", bearer: stranger).0 == .notFound)
            let (_, _, body) = try await client.send(.get, "/v1/organizations/\(world.acme)/audit-logs?outcome=denied", bearer: owner)
            let denied = try #require(data(body)["items"] as? [[String: Any]])
            #expect(denied.count == 2)
            #expect(denied.map { $0["actor_id"] as? String } == [world.member.text, world.stranger.text])
            #expect(denied.map { ($0["data"] as? [String: String])?["permission"] } == ["team.create", "organization.read"])
            #expect(
                denied.allSatisfy {
                    $0["action"] as? String == "request.denied" && ($0["target"] as? [String: Any])?["id"] as? String == world.acme.text
                }
            )
            #expect(try await app.service.auditRecords(AuditFilter(outcome: .denied), after: 0, limit: 100).count == 2)
        }
    }
}
