import Authz
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import Stores
import Testing

@testable import Server

@Suite struct LookupTests {
    /// The fields the OpenAPI document allows in the `data` of a POST route's 200 answer.
    static func documentedDataFields(_ client: any TestClientProtocol, _ path: String) async throws -> Set<String> {
        let document = try await client.execute(uri: "/openapi.json", method: .get) { response in
            try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
        }
        let operation = (document["paths"] as? [String: Any]).flatMap { $0[path] as? [String: Any] }?["post"] as? [String: Any]
        let answer = (operation?["responses"] as? [String: Any])?["200"] as? [String: Any]
        let schema = ((answer?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
        let data = (schema?["properties"] as? [String: Any])?["data"] as? [String: Any]
        return Set((data?["properties"] as? [String: Any] ?? [:]).keys)
    }

    /// Pages walk the resources in id order, each page answered at the revision of the first:
    /// a job created between pages does not appear until a new lookup starts.
    @Test func lookupResourcesPagesAtOneRevision() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let service = app.service
            let (acme, red, member) = (w.acme, w.red, w.member)
            var jobs = [w.job]
            for _ in 0..<4 {
                let job = UUID()
                jobs.append(job)
                _ = try await service.store.write { _ in
                    ((), [ChangeLogEntry.resourceCreated(organization: acme, type: "job", id: job, team: red, creator: member)])
                }
            }
            try await service.follower.catchUp()
            let body = #"{"permission":"job.read","resource_type":"job","organization_id":"\#(acme.uuidString)","limit":2}"#
            var (status, answer) = try await client.post("/v1/authz/lookup-resources", bearer: w.keys["maintainer"]!, json: body)
            #expect(status == .ok)
            var seen = (data(answer)["items"] as? [[String: String]] ?? []).compactMap { $0["id"] }
            let revision = data(answer)["revision"] as? String
            // A page with another after it carries the cursor, and the document says so.
            #expect(data(answer)["cursor"] is String)
            let documented = try await Self.documentedDataFields(client, "/v1/authz/lookup-resources")
            #expect(Set(data(answer).keys).isSubset(of: documented), "\(data(answer).keys) against \(documented)")
            // A write between pages.
            let late = UUID()
            _ = try await service.store.write { _ in
                ((), [ChangeLogEntry.resourceCreated(organization: acme, type: "job", id: late, team: red, creator: member)])
            }
            try await service.follower.catchUp()
            while let next = (answer["links"] as? [String: String])?["next"] {
                (status, answer) = try await client.post(next, bearer: w.keys["maintainer"]!, json: body)
                #expect(status == .ok && data(answer)["revision"] as? String == revision)
                seen += (data(answer)["items"] as? [[String: String]] ?? []).compactMap { $0["id"] }
            }
            #expect(seen == jobs.map { $0.uuidString.lowercased() }.sorted())
            // A new lookup sees the late job.
            (status, answer) = try await client.post(
                "/v1/authz/lookup-resources",
                bearer: w.keys["maintainer"]!,
                json: body.replacingOccurrences(of: #""limit":2"#, with: #""limit":50"#)
            )
            #expect((data(answer)["items"] as? [[String: String]])?.count == 6)
            // Cancel: the maintainer through Red, the member only what it created... all of them here.
            let cancel = #"{"permission":"job.cancel","resource_type":"job","organization_id":"\#(acme.uuidString)"}"#
            #expect(
                (data(try await client.post("/v1/authz/lookup-resources", bearer: w.keys["maintainer"]!, json: cancel).1)["items"] as? [Any])?.count
                    == 6
            )
            // Another subject needs authz.check; another tenant sees nothing.
            let other =
                #"{"subject":{"type":"principal","id":"\#(w.maintainer.uuidString)"},"permission":"job.read","resource_type":"job","organization_id":"\#(acme.uuidString)"}"#
            #expect(try await client.post("/v1/authz/lookup-resources", bearer: w.keys["member"]!, json: other).0 == .forbidden)
            #expect(try await client.post("/v1/authz/lookup-resources", bearer: w.keys["stranger"]!, json: other).0 == .notFound)
            #expect(
                (data(try await client.post("/v1/authz/lookup-resources", bearer: w.keys["stranger"]!, json: body).1)["items"] as? [Any])?.isEmpty
                    == true
            )
            #expect(try await client.post("/v1/authz/lookup-resources", bearer: w.keys["owner"]!, json: other).0 == .ok)
            // Bad input.
            let (badStatus, bad) = try await client.post(
                "/v1/authz/lookup-resources",
                bearer: w.keys["owner"]!,
                json: #"{"permission":"job.cancel","resource_type":"document","organization_id":"x","cursor":"nope","limit":0}"#
            )
            #expect(badStatus == .badRequest)
            #expect(
                details(bad) == [
                    "resource_type: 'document' is external: the service stores none to list",
                    "permission: 'job.cancel' does not apply to a document",
                    "organization_id: must be a UUID",
                    "limit: must be a whole number from 1 to 200",
                    "cursor: is not a cursor this API issued",
                ]
            )
            // A well-formed cursor of a revision this replica does not keep is gone, not invalid.
            let stale = body.replacingOccurrences(of: "}", with: #","cursor":"999999.\#(UUID().uuidString.lowercased())"}"#)
            let (goneStatus, gone) = try await client.post("/v1/authz/lookup-resources", bearer: w.keys["owner"]!, json: stale)
            #expect(goneStatus == .gone && errorCode(gone) == "gone", "\(gone)")
        }
    }

    @Test func lookupSubjects() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let body = #"{"permission":"job.cancel","resource":{"type":"job","id":"\#(w.job.uuidString)"}}"#
            let (status, answer) = try await client.post("/v1/authz/lookup-subjects", bearer: w.keys["owner"]!, json: body)
            #expect(status == .ok)
            let ids = Set((data(answer)["items"] as? [[String: String]] ?? []).compactMap { $0["id"] })
            // The owner (organization role), the maintainer (team role), the member (creator).
            #expect(ids == Set([w.owner, w.maintainer, w.member].map { $0.uuidString.lowercased() }))
            #expect((data(answer)["items"] as? [[String: String]])?.allSatisfy { $0["type"] == "principal" } == true)
            #expect(try await client.post("/v1/authz/lookup-subjects", bearer: w.keys["member"]!, json: body).0 == .forbidden)
            #expect(try await client.post("/v1/authz/lookup-subjects", bearer: w.keys["stranger"]!, json: body).0 == .notFound)
            // A first page of one: the cursor comes with it, as the document says.
            let paged = body.replacingOccurrences(of: "}}", with: #"},"limit":1}"#)
            let first = data(try await client.post("/v1/authz/lookup-subjects", bearer: w.keys["owner"]!, json: paged).1)
            #expect(first["cursor"] is String)
            let documented = try await Self.documentedDataFields(client, "/v1/authz/lookup-subjects")
            #expect(Set(first.keys).isSubset(of: documented), "\(first.keys) against \(documented)")
        }
    }
}
