import Authz
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JSON
import NIOCore
import Testing

@testable import Server

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, bearer: String, json: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(bearer)"]
        if json != nil { headers[.contentType] = "application/json" }
        return try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
        }
    }
}

@Suite struct OrganizationRoutesTests {
    @Test func createAndRead() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            var (status, body) = try await client.call(.post, "/v1/organizations", bearer: w.keys["member"]!, json: #"{"name":"Initech Labs"}"#)
            #expect(status == .created)
            let created = data(body)
            #expect(created["slug"] as? String == "initech-labs" && created["name"] as? String == "Initech Labs")
            let id = try #require(created["id"] as? String)
            // The creator is its owner, at once (read-your-writes through the response revision).
            (status, body) = try await client.call(.get, "/v1/organizations/\(id)/members", bearer: w.keys["member"]!)
            #expect((data(body)["items"] as? [[String: Any]])?.map { $0["role"] as? String } == ["owner"])
            #expect(try await client.call(.get, "/v1/organizations/\(id)", bearer: w.keys["member"]!).0 == .ok)
            // Another tenant's id and an unknown id: the same 404; a malformed id is the caller's mistake, 400.
            #expect(try await client.call(.get, "/v1/organizations/\(id)", bearer: w.keys["stranger"]!).0 == .notFound)
            let (malformed, malformedBody) = try await client.call(.get, "/v1/organizations/not-a-uuid", bearer: w.keys["member"]!)
            #expect(malformed == .badRequest && details(malformedBody) == ["id: must be a UUID"])
            #expect(try await client.call(.get, "/v1/organizations/\(UUID().uuidString)", bearer: w.keys["member"]!).0 == .notFound)
            // Conflicts and validation.
            (status, body) = try await client.call(
                .post,
                "/v1/organizations",
                bearer: w.keys["owner"]!,
                json: #"{"name":"Again","slug":"initech-labs"}"#
            )
            #expect(status == .conflict && errorCode(body) == "conflict")
            (status, body) = try await client.call(
                .post,
                "/v1/organizations",
                bearer: w.keys["owner"]!,
                json: #"{"name":"Bad","slug":"Bad Slug","extra":1}"#
            )
            #expect(status == .badRequest && details(body) == ["extra: is not a known field"])
            (status, body) = try await client.call(.post, "/v1/organizations", bearer: w.keys["owner"]!, json: #"{"name":"Bad","slug":"Bad Slug"}"#)
            #expect(details(body) == ["slug: may contain only lower-case letters, digits and '-'"])
        }
    }

    /// Member and team-member lists say who each member is: name, email and kind.
    @Test func membersCarryTheirNames() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let (_, body) = try await client.call(.get, "/v1/organizations/\(w.acme)/members", bearer: w.keys["owner"]!)
            let items = try #require(data(body)["items"] as? [[String: Any]])
            let member = try #require(items.first { $0["principal_id"] as? String == w.member.text })
            #expect(
                member["name"] as? String == "member" && member["email"] as? String == "member@example.com" && member["kind"] as? String == "user"
            )
            let (_, team) = try await client.call(.get, "/v1/teams/\(w.red)/members", bearer: w.keys["owner"]!)
            let maintainer = try #require((data(team)["items"] as? [[String: Any]])?.first)
            #expect(
                maintainer["name"] as? String == "maintainer" && maintainer["email"] as? String == "maintainer@example.com"
                    && maintainer["kind"] as? String == "user"
            )
            // A service principal has no email.
            let (_, key) = try await client.call(
                .post,
                "/v1/api-keys",
                bearer: w.keys["owner"]!,
                json: #"{"name":"ci","organization_id":"\#(w.acme)"}"#
            )
            let service = try #require(data(key)["principal_id"] as? String)
            let (_, again) = try await client.call(.get, "/v1/organizations/\(w.acme)/members", bearer: w.keys["owner"]!)
            let listed = try #require((data(again)["items"] as? [[String: Any]])?.first { $0["principal_id"] as? String == service })
            #expect(listed["kind"] as? String == "service" && listed["email"] is NSNull && listed["name"] as? String == "ci")
        }
    }

    /// Renaming an organization or a team: for those who may update it, audited with the old
    /// and new name; a team's name stays unique in its organization.
    @Test func renames() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let owner = w.keys["owner"]!
            var (status, body) = try await client.call(.patch, "/v1/organizations/\(w.acme)", bearer: owner, json: #"{"name":"Acme Labs"}"#)
            #expect(status == .ok && data(body)["name"] as? String == "Acme Labs" && data(body)["slug"] as? String == "acme")
            #expect(data(try await client.call(.get, "/v1/organizations/\(w.acme)", bearer: owner).1)["name"] as? String == "Acme Labs")
            #expect(
                try await client.call(.patch, "/v1/organizations/\(w.acme)", bearer: w.keys["member"]!, json: #"{"name":"Mine"}"#).0 == .forbidden
            )
            #expect(
                try await client.call(.patch, "/v1/organizations/\(w.acme)", bearer: w.keys["stranger"]!, json: #"{"name":"Mine"}"#).0 == .notFound
            )
            (status, body) = try await client.call(.patch, "/v1/organizations/\(w.acme)", bearer: owner, json: #"{"name":""}"#)
            #expect(status == .badRequest && errorCode(body) == "validation_error")

            (status, body) = try await client.call(.patch, "/v1/teams/\(w.red)", bearer: w.keys["maintainer"]!, json: #"{"name":"Crimson"}"#)
            #expect(status == .ok && data(body)["name"] as? String == "Crimson")
            _ = try await app.service.createTeam(organization: w.acme, name: "Blue")
            (status, body) = try await client.call(.patch, "/v1/teams/\(w.red)", bearer: owner, json: #"{"name":"Blue"}"#)
            #expect(status == .conflict && errorCode(body) == "conflict")
            #expect(try await client.call(.patch, "/v1/teams/\(w.red)", bearer: w.keys["stranger"]!, json: #"{"name":"X"}"#).0 == .notFound)

            (_, body) = try await client.call(.get, "/v1/organizations/\(w.acme)/audit-logs?action=team.renamed", bearer: owner)
            let renamed = try #require((data(body)["items"] as? [[String: Any]])?.first)
            #expect((renamed["data"] as? [String: String]) == ["name": "Crimson", "previous_name": "Red"])
            (_, body) = try await client.call(.get, "/v1/organizations/\(w.acme)/audit-logs?action=organization.renamed", bearer: owner)
            #expect(
                ((data(body)["items"] as? [[String: Any]])?.first?["data"] as? [String: String]) == ["name": "Acme Labs", "previous_name": "Acme"]
            )
        }
    }

    /// Only the owner deletes an organization; afterwards nothing of it answers, its keys stop
    /// working, and its audit log (with the deletion) stays for platform admins.
    @Test func deleteOrganization() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let owner = w.keys["owner"]!
            let (_, keyBody) = try await client.call(.post, "/v1/api-keys", bearer: owner, json: #"{"name":"ci","organization_id":"\#(w.acme)"}"#)
            let serviceKey = try #require(data(keyBody)["key"] as? String)
            #expect(try await client.call(.get, "/v1/organizations/\(w.acme)", bearer: serviceKey).0 == .ok)
            // Below owner: 403; another tenant: the 404 of an unknown id.
            #expect(try await client.call(.delete, "/v1/organizations/\(w.acme)", bearer: w.keys["member"]!).0 == .forbidden)
            #expect(try await client.call(.delete, "/v1/organizations/\(w.acme)", bearer: w.keys["maintainer"]!).0 == .forbidden)
            let (strangerStatus, strangerBody) = try await client.call(.delete, "/v1/organizations/\(w.acme)", bearer: w.keys["stranger"]!)
            let (unknownStatus, unknownBody) = try await client.call(.delete, "/v1/organizations/\(UUID())", bearer: w.keys["stranger"]!)
            #expect(strangerStatus == .notFound && unknownStatus == .notFound && errorCode(strangerBody) == errorCode(unknownBody))

            let (status, body) = try await client.call(.delete, "/v1/organizations/\(w.acme)", bearer: owner)
            #expect(status == .ok && body["data"] is NSNull, "\(body)")
            for uri in ["/v1/organizations/\(w.acme)", "/v1/teams/\(w.red)", "/v1/jobs/\(w.job)", "/v1/organizations/\(w.acme)/members"] {
                #expect(try await client.call(.get, uri, bearer: owner).0 == .notFound, "\(uri)")
            }
            // Its organization key no longer authenticates; the member is in no organization.
            #expect(try await client.call(.get, "/v1/me", bearer: serviceKey).0 == .unauthorized)
            let (_, mine) = try await client.call(.get, "/v1/me/organizations", bearer: w.keys["member"]!)
            #expect((data(mine)["items"] as? [Any])?.isEmpty == true)
            // Checks about it answer as for anything that does not exist.
            let (_, check) = try await client.call(
                .post,
                "/v1/authz/check",
                bearer: owner,
                json: #"{"permission":"team.read","resource":{"type":"team","id":"\#(w.red)"}}"#
            )
            #expect(data(check)["allowed"] as? Bool == false && (data(check)["grantable_by"] as? [Any])?.isEmpty == true)
            #expect(try await client.call(.delete, "/v1/organizations/\(w.acme)", bearer: owner).0 == .notFound)
            // The audit log stays, with the deletion, for platform admins.
            let (_, log) = try await client.call(.get, "/v1/audit-logs?organization_id=\(w.acme)&action=organization.deleted", bearer: app.adminKey)
            let entry = try #require((data(log)["items"] as? [[String: Any]])?.first)
            #expect(entry["actor_id"] as? String == w.owner.text)
            #expect((entry["data"] as? [String: String])?["name"] == "Acme" && (entry["data"] as? [String: String])?["api_keys"] == "1")
            // Globex is untouched.
            #expect(try await client.call(.get, "/v1/organizations/\(w.globex)", bearer: w.keys["stranger"]!).0 == .ok)
        }
    }

    @Test func membersArePaginated() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            var seen: [String] = []
            var uri: String? = "/v1/organizations/\(w.acme.uuidString)/members?limit=2"
            while let next = uri {
                let (status, body) = try await client.call(.get, next, bearer: w.keys["maintainer"]!)
                #expect(status == .ok)
                let items = data(body)["items"] as? [[String: Any]] ?? []
                seen += items.compactMap { $0["principal_id"] as? String }
                uri = (body["links"] as? [String: String])?["next"]
                #expect(items.count <= 2)
            }
            #expect(seen == [w.owner, w.member, w.maintainer].map { $0.uuidString.lowercased() }.sorted())
            let (status, body) = try await client.call(
                .get,
                "/v1/organizations/\(w.acme.uuidString)/members?limit=500&cursor=zz",
                bearer: w.keys["owner"]!
            )
            #expect(
                status == .badRequest && details(body) == ["limit: must be a whole number from 1 to 200", "cursor: is not a cursor of this list"]
            )
        }
    }

    /// Each route: an outsider gets 404, a member without the permission 403, the domain's
    /// rules their own codes.
    @Test func memberManagement() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let acme = w.acme.uuidString
            let memberPath = "/v1/organizations/\(acme)/members/\(w.maintainer.uuidString)"
            #expect(try await client.call(.patch, memberPath, bearer: w.keys["stranger"]!, json: #"{"role":"admin"}"#).0 == .notFound)
            #expect(try await client.call(.patch, memberPath, bearer: w.keys["member"]!, json: #"{"role":"admin"}"#).0 == .forbidden)
            var (status, body) = try await client.call(.patch, memberPath, bearer: w.keys["owner"]!, json: #"{"role":"admin"}"#)
            #expect(status == .ok && data(body)["role"] as? String == "admin")
            // The new admin cannot make an owner, nor touch the owner.
            let adminKey = w.keys["maintainer"]!
            (status, body) = try await client.call(
                .patch,
                "/v1/organizations/\(acme)/members/\(w.member.uuidString)",
                bearer: adminKey,
                json: #"{"role":"owner"}"#
            )
            #expect(status == .forbidden)
            #expect(try await client.call(.delete, "/v1/organizations/\(acme)/members/\(w.owner.uuidString)", bearer: adminKey).0 == .forbidden)
            // The last owner stays.
            (status, body) = try await client.call(
                .patch,
                "/v1/organizations/\(acme)/members/\(w.owner.uuidString)",
                bearer: w.keys["owner"]!,
                json: #"{"role":"admin"}"#
            )
            #expect(status == .conflict && (body["error"] as? [String: Any])?["message"] as? String == "the last owner cannot be demoted")
            // Transfer: admin may not, owner may; then the old owner is an admin.
            let transfer = #"{"principal_id":"\#(w.member.uuidString)"}"#
            #expect(try await client.call(.post, "/v1/organizations/\(acme)/transfer-ownership", bearer: adminKey, json: transfer).0 == .forbidden)
            #expect(try await client.call(.post, "/v1/organizations/\(acme)/transfer-ownership", bearer: w.keys["owner"]!, json: transfer).0 == .ok)
            #expect(app.service.snapshot.role(of: w.member, in: w.acme)?.name == "owner")
            // Anyone may leave; the leaver's access ends at once.
            #expect(try await client.call(.delete, "/v1/organizations/\(acme)/members/\(w.owner.uuidString)", bearer: w.keys["owner"]!).0 == .ok)
            #expect(try await client.call(.get, "/v1/organizations/\(acme)", bearer: w.keys["owner"]!).0 == .notFound)
        }
    }
}
