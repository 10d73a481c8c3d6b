import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JSON
import NIOCore
import Testing

@testable import Server

/// An outsider asking about another tenant's resources learns nothing: each answer is, byte
/// for byte once the id it sent is masked, the answer for an id that does not exist.
@Suite struct TenantDisclosureTests {
    /// The answer's `data` with every occurrence of `id` replaced, canonically serialised.
    static func masked(_ body: [String: Any], _ id: String) throws -> String {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: data(body), options: [.sortedKeys]), as: UTF8.self)
        return text.replacingOccurrences(of: id.lowercased(), with: "ID")
    }

    @Test func checksAboutAnotherTenantsResourcesAnswerAsForMissingOnes() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let key = w.keys["stranger"]!
            let targets: [(type: String, id: UUID, permission: String)] = [
                ("organization", w.acme, "organization.read"), ("team", w.red, "team.update"), ("job", w.job, "job.read"),
                ("job", w.job, "job.cancel"),
            ]
            for target in targets {
                for explain in [false, true] {
                    func check(_ id: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                        try await client.post(
                            "/v1/authz/check",
                            bearer: key,
                            json: #"{"permission":"\#(target.permission)","resource":{"type":"\#(target.type)","id":"\#(id)"},"explain":\#(explain)}"#
                        )
                    }
                    let real = target.id.uuidString.lowercased()
                    let missing = UUID().uuidString.lowercased()
                    let (status, body) = try await check(real)
                    let (missingStatus, missingBody) = try await check(missing)
                    #expect(status == .ok && missingStatus == .ok)
                    #expect(data(body)["allowed"] as? Bool == false)
                    #expect((data(body)["grantable_by"] as? [Any])?.isEmpty == true, "\(target)")
                    let text = try Self.masked(body, real)
                    let missingText = try Self.masked(missingBody, missing)
                    #expect(text == missingText, "\(target) explain \(explain)")
                    for secret in [w.acme, w.red, w.member, w.owner] where secret != target.id {
                        #expect(!text.contains(secret.uuidString.lowercased()), "\(target) leaks \(secret)")
                    }
                }
            }
            // A document of Acme's, described by the outsider: no grantable roles, no trace
            // of the team it names, and the same answer whether or not the team is Acme's.
            func document(team: UUID) async throws -> [String: Any] {
                try await client.post(
                    "/v1/authz/check",
                    bearer: key,
                    json:
                        #"{"permission":"document.edit","resource":{"type":"document","id":"\#(UUID())","organization_id":"\#(w.acme)","team_id":"\#(team)"},"explain":true}"#
                ).1
            }
            let withRed = try await document(team: w.red)
            let withOther = try await document(team: UUID())
            #expect((data(withRed)["grantable_by"] as? [Any])?.isEmpty == true)
            #expect((data(withRed)["trace"] as? [String])?.count == 1)
            #expect((data(withRed)["trace"] as? [String])?.count == (data(withOther)["trace"] as? [String])?.count)
        }
    }

    @Test func batchesLookupsAndPermissionsAnswerAsForMissingOnes() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let key = w.keys["stranger"]!
            let real = w.job.uuidString.lowercased()
            let missing = UUID().uuidString.lowercased()
            func batch(_ id: String) async throws -> [String: Any] {
                try await client.post(
                    "/v1/authz/check-batch",
                    bearer: key,
                    json:
                        #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(id)"},"explain":true},{"permission":"job.cancel","resource":{"type":"job","id":"\#(id)"}}]}"#
                ).1
            }
            let realBatch = try Self.masked(try await batch(real), real)
            let missingBatch = try Self.masked(try await batch(missing), missing)
            // The revision is the same in both: nothing was written between them.
            #expect(realBatch == missingBatch)

            // Lookups in the other organization: the same empty page as in one that does not exist.
            let acme = w.acme.uuidString.lowercased()
            let nowhere = UUID().uuidString.lowercased()
            func lookup(_ organization: String) async throws -> (HTTPResponse.Status, String) {
                let (status, body) = try await client.post(
                    "/v1/authz/lookup-resources",
                    bearer: key,
                    json: #"{"permission":"job.read","resource_type":"job","organization_id":"\#(organization)"}"#
                )
                return (status, try Self.masked(body, organization))
            }
            let (lookupStatus, lookupBody) = try await lookup(acme)
            #expect(lookupStatus == .ok)
            let (nowhereStatus, nowhereBody) = try await lookup(nowhere)
            #expect(lookupStatus == nowhereStatus && lookupBody == nowhereBody)
            func subjects(_ id: String) async throws -> (HTTPResponse.Status, String?, String?) {
                let (status, body) = try await client.post(
                    "/v1/authz/lookup-subjects",
                    bearer: key,
                    json: #"{"permission":"job.read","resource":{"type":"job","id":"\#(id)"}}"#
                )
                let error = body["error"] as? [String: Any]
                return (status, error?["code"] as? String, error?["message"] as? String)
            }
            let realSubjects = try await subjects(real)
            #expect(realSubjects.0 == .notFound)
            let missingSubjects = try await subjects(missing)
            #expect(realSubjects == missingSubjects)

            // Permissions in the other organization: the same 404 as in one that does not exist.
            func permissions(_ organization: String) async throws -> (HTTPResponse.Status, String?, String?) {
                try await client.execute(
                    uri: "/v1/me/permissions?organization_id=\(organization)",
                    method: .get,
                    headers: [.authorization: "Bearer \(key)"]
                ) {
                    let body = try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any] ?? [:]
                    let error = body["error"] as? [String: Any]
                    return ($0.status, error?["code"] as? String, error?["message"] as? String)
                }
            }
            let realPermissions = try await permissions(acme)
            #expect(realPermissions.0 == .notFound)
            let nowherePermissions = try await permissions(nowhere)
            #expect(realPermissions == nowherePermissions)
        }
    }

    /// Inside the organization, a denial still says who could grant and why.
    @Test func membersStillLearnWhatWouldGrant() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["maintainer"]!,
                json: #"{"permission":"organization.update","resource":{"type":"organization","id":"\#(w.acme)"},"explain":true}"#
            )
            #expect(status == .ok && data(body)["allowed"] as? Bool == false)
            #expect((data(body)["grantable_by"] as? [[String: Any]])?.isEmpty == false)
            #expect((data(body)["trace"] as? [String])?.first?.contains(w.acme.uuidString.lowercased()) == true)
        }
    }
}

/// The envelope's `context` names the organization and team a request was about, once the
/// caller may see them, and never otherwise; the OpenAPI document points at whatever served it.
@Suite struct EnvelopeContextTests {
    static func context(_ body: [String: Any]) -> [String: String?] {
        (body["context"] as? [String: Any] ?? [:]).mapValues { $0 as? String }
    }

    @Test func organizationAndTeamAreNamedOnlyToThoseWhoSeeThem() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            var (status, body) = try await client.call(.get, "/v1/organizations/\(w.acme)", bearer: w.keys["member"]!)
            #expect(status == .ok && Self.context(body)["organization_id"] == w.acme.text && Self.context(body)["principal_id"] == w.member.text)
            (_, body) = try await client.call(.get, "/v1/teams/\(w.red)", bearer: w.keys["member"]!)
            #expect(Self.context(body)["organization_id"] == w.acme.text && Self.context(body)["team_id"] == w.red.text)
            // Seen but refused: still about Acme.
            (status, body) = try await client.call(.patch, "/v1/organizations/\(w.acme)", bearer: w.keys["member"]!, json: #"{"name":"x"}"#)
            #expect(status == .forbidden && Self.context(body)["organization_id"] == w.acme.text)
            // Not seen: nothing named.
            (status, body) = try await client.call(.get, "/v1/organizations/\(w.acme)", bearer: w.keys["stranger"]!)
            #expect(status == .notFound && Self.context(body)["organization_id"] == .some(nil) && Self.context(body)["team_id"] == .some(nil))
            (_, body) = try await client.call(.get, "/v1/me", bearer: w.keys["member"]!)
            #expect(Self.context(body)["organization_id"] == .some(nil))

            let document = try await client.execute(uri: "/openapi.json", method: .get) {
                try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any] ?? [:]
            }
            #expect((document["servers"] as? [[String: Any]])?.first?["url"] as? String == "/")
        }
    }
}
