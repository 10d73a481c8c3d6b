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

/// Acme with an owner, a member, a viewer who is maintainer of team Red, a job of Red; and
/// Globex with its own owner. Each gets an API key; `scoped` is the member's key narrowed to
/// `job.read`.
struct CheckWorld {
    let acme: UUID, globex: UUID, red: UUID, job: UUID
    let owner: UUID, member: UUID, maintainer: UUID, stranger: UUID
    var keys: [String: String] = [:]

    init(_ app: AuthenticatedApplication) async throws {
        let service = app.service
        func user(_ name: String) async throws -> UUID {
            try await service.createPrincipal(kind: .user, email: "\(name)@example.com", name: name, externalSubject: name).0.id
        }
        owner = try await user("owner")
        member = try await user("member")
        maintainer = try await user("maintainer")
        stranger = try await user("stranger")
        acme = try await service.createOrganization(name: "Acme", slug: nil, creator: owner).0.id
        globex = try await service.createOrganization(name: "Globex", slug: nil, creator: stranger).0.id
        _ = try await service.addMember(organization: acme, principal: member, role: "member", actor: owner)
        _ = try await service.addMember(organization: acme, principal: maintainer, role: "viewer", actor: owner)
        red = try await service.createTeam(organization: acme, name: "Red").0.id
        _ = try await service.setTeamMember(team: red, principal: maintainer, role: "maintainer", actor: owner)
        job = UUID()
        let (acme, red, job, member) = (self.acme, self.red, self.job, self.member)
        // Jobs have no service yet: record one the way the jobs service will, in the change log.
        _ = try await service.store.write { _ in
            ((), [ChangeLogEntry.resourceCreated(organization: acme, type: "job", id: job, team: red, creator: member)])
        }
        try await service.follower.catchUp()
        let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
        var records: [APIKeyRecord] = []
        for (name, principal, scopes) in [
            ("owner", owner, nil as [String]?), ("member", member, nil), ("maintainer", maintainer, nil), ("stranger", stranger, nil),
            ("scoped", member, ["job.read"]),
        ] {
            let key = APIKey.generate(id: UUID())
            keys[name] = key.rendered
            records.append(
                APIKeyRecord(
                    id: key.id,
                    principalID: principal,
                    organizationID: nil,
                    name: name,
                    secretHash: hasher.hash(key.secret),
                    role: nil,
                    scopes: scopes,
                    status: .active,
                    createdAt: Date(),
                    expiresAt: nil,
                    lastUsedAt: nil
                )
            )
        }
        let toInsert = records
        _ = try await service.store.write { transaction in
            for record in toInsert { try await transaction.insertAPIKey(record) }
            return ((), [])
        }
    }
}

extension TestClientProtocol {
    func post(
        _ uri: String,
        bearer: String,
        json: String,
        contentType: String = "application/json"
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await self.execute(
            uri: uri,
            method: .post,
            headers: [.authorization: "Bearer \(bearer)", .contentType: contentType],
            body: ByteBuffer(string: json)
        ) { response in
            (response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
        }
    }
}

func data(_ body: [String: Any]) -> [String: Any] { body["data"] as? [String: Any] ?? [:] }
func errorCode(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["code"] as? String }
func details(_ body: [String: Any]) -> [String] {
    ((body["error"] as? [String: Any])?["details"] as? [[String: String]] ?? []).map { "\($0["field"]!): \($0["message"]!)" }
}

@Suite struct CheckAPITests {
    @Test func checksWithReasonsGrantableByAndTrace() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let job = w.job.uuidString.lowercased()
            // The member asks about itself: allowed by the team role? No: org member reads jobs.
            var (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["member"]!,
                json: #"{"permission":"job.read","resource":{"type":"job","id":"\#(job)"}}"#
            )
            #expect(status == .ok && data(body)["allowed"] as? Bool == true)
            let reason = data(body)["reason"] as? [String: Any]
            #expect(reason?["role"] as? String == "member")
            #expect((reason?["on"] as? [String: String]) == ["type": "organization", "id": w.acme.uuidString.lowercased()])
            #expect(reason?["via_team"] is NSNull)
            #expect(data(body)["grantable_by"] == nil && data(body)["trace"] == nil)
            #expect((data(body)["subject"] as? [String: String])?["id"] == w.member.uuidString.lowercased())
            #expect(data(body)["revision"] as? String == (body["meta"] as? [String: Any])?["revision"] as? String)

            // The creator rule, with an explanation.
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["member"]!,
                json: #"{"permission":"job.cancel","resource":{"type":"job","id":"\#(job)"},"explain":true}"#
            )
            #expect(data(body)["allowed"] as? Bool == true && (data(body)["reason"] as? [String: Any])?["role"] as? String == "creator")
            #expect((data(body)["trace"] as? [String])?.last == "the creator rule grants the permission")

            // Denied: who could have granted it.
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["owner"]!,
                json:
                    #"{"subject":{"type":"principal","id":"\#(w.maintainer.uuidString)"},"permission":"job.create","resource":{"type":"organization","id":"\#(w.acme.uuidString)"}}"#
            )
            #expect(status == .ok && data(body)["allowed"] as? Bool == false && data(body)["reason"] is NSNull)
            let grants = data(body)["grantable_by"] as? [[String: Any]]
            #expect(grants?.map { $0["role"] as? String } == ["member"])

            // Maintainer of Red, checked by the owner: allowed through the team.
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["owner"]!,
                json:
                    #"{"subject":{"type":"principal","id":"\#(w.maintainer.uuidString)"},"permission":"job.cancel","resource":{"type":"job","id":"\#(job)"}}"#
            )
            #expect((data(body)["reason"] as? [String: Any])?["via_team"] as? String == w.red.uuidString.lowercased())

            // An external document, described by the caller.
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["member"]!,
                json:
                    #"{"permission":"document.read","resource":{"type":"document","id":"\#(UUID().uuidString)","organization_id":"\#(w.acme.uuidString)"}}"#
            )
            #expect(status == .ok && data(body)["allowed"] as? Bool == true)
        }
    }

    @Test func checkingOthersNeedsAuthzCheckAndNeverCrossesTenants() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let other =
                #"{"subject":{"type":"principal","id":"\#(w.owner.uuidString)"},"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"}}"#
            // A member may see acme but lacks authz.check: 403.
            var (status, body) = try await client.post("/v1/authz/check", bearer: w.keys["member"]!, json: other)
            #expect(status == .forbidden && errorCode(body) == "forbidden")
            // Globex's owner cannot see acme's job at all: 404, same as no such job.
            (status, body) = try await client.post("/v1/authz/check", bearer: w.keys["stranger"]!, json: other)
            #expect(status == .notFound && errorCode(body) == "not_found")
            let missing =
                #"{"subject":{"type":"principal","id":"\#(w.member.uuidString)"},"permission":"job.read","resource":{"type":"job","id":"\#(UUID().uuidString)"}}"#
            #expect(try await client.post("/v1/authz/check", bearer: w.keys["owner"]!, json: missing).0 == .notFound)
            // About itself, the stranger is simply denied, learning nothing.
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["stranger"]!,
                json: #"{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"}}"#
            )
            #expect(status == .ok && data(body)["allowed"] as? Bool == false)
            // The platform admin checks anyone anywhere.
            #expect(try await client.post("/v1/authz/check", bearer: app.adminKey, json: other).0 == .ok)
        }
    }

    @Test func scopedKeysAreNarrowed() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let job = w.job.uuidString
            #expect(
                data(
                    try await client.post(
                        "/v1/authz/check",
                        bearer: w.keys["scoped"]!,
                        json: #"{"permission":"job.read","resource":{"type":"job","id":"\#(job)"}}"#
                    ).1
                )["allowed"] as? Bool == true
            )
            #expect(
                data(
                    try await client.post(
                        "/v1/authz/check",
                        bearer: w.keys["scoped"]!,
                        json: #"{"permission":"job.cancel","resource":{"type":"job","id":"\#(job)"}}"#
                    ).1
                )["allowed"] as? Bool == false
            )
            #expect(
                data(
                    try await client.post(
                        "/v1/authz/check",
                        bearer: w.keys["member"]!,
                        json: #"{"permission":"job.cancel","resource":{"type":"job","id":"\#(job)"}}"#
                    ).1
                )["allowed"] as? Bool == true
            )
        }
    }

    @Test func batchesAnswerInOrderAtOneRevision() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let job = w.job.uuidString
            let json =
                #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(job)"}},{"permission":"organization.delete","resource":{"type":"organization","id":"\#(w.acme.uuidString)"}},{"subject":{"type":"principal","id":"\#(w.maintainer.uuidString)"},"permission":"team.update","resource":{"type":"team","id":"\#(w.red.uuidString)"}}]}"#
            let (status, body) = try await client.post("/v1/authz/check-batch", bearer: w.keys["owner"]!, json: json)
            #expect(status == .ok)
            let results = data(body)["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["allowed"] as? Bool } == [true, true, true])
            #expect(
                Set(results.compactMap { $0["revision"] as? String }).count == 1
                    && data(body)["revision"] as? String == results.first?["revision"] as? String
            )
            // 1,000 is fine; 0 and 1,001 are not.
            let one = #"{"permission":"job.read","resource":{"type":"job","id":"\#(job)"}}"#
            let thousand = "{\"checks\":[" + Array(repeating: one, count: 1_000).joined(separator: ",") + "]}"
            let (bigStatus, big) = try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: thousand)
            #expect(bigStatus == .ok && (data(big)["results"] as? [Any])?.count == 1_000)
            let tooMany = "{\"checks\":[" + Array(repeating: one, count: 1_001).joined(separator: ",") + "]}"
            #expect(
                details(try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: tooMany).1) == [
                    "checks: must hold 1 to 1000 checks, not 1001"
                ]
            )
            #expect(
                details(try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: #"{"checks":[]}"#).1) == [
                    "checks: must hold 1 to 1000 checks, not 0"
                ]
            )
        }
    }

    /// `echo: false`: each result keeps its position and says only what the caller did not
    /// send (the decision, its reason or the roles that would grant it, the trace); the batch
    /// states its revision once. The same items with the default echo carry everything.
    @Test func compactResultsLeaveOutTheQuestion() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let checks =
                #"[{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"}},{"permission":"organization.delete","resource":{"type":"organization","id":"\#(w.acme.uuidString)"},"explain":true},{"permission":"organization.read","resource":{"type":"organization","id":"\#(w.globex.uuidString)"}}]"#
            let (status, compact) = try await client.post(
                "/v1/authz/check-batch",
                bearer: w.keys["member"]!,
                json: #"{"checks":\#(checks),"echo":false}"#
            )
            #expect(status == .ok)
            let results = data(compact)["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["allowed"] as? Bool } == [true, false, false])
            #expect(
                results.map { $0.keys.sorted() } == [
                    ["allowed", "reason"], ["allowed", "grantable_by", "reason", "trace"], ["allowed", "grantable_by", "reason"],
                ]
            )
            #expect((results[1]["grantable_by"] as? [[String: Any]])?.first?["role"] as? String == "owner")
            // Another tenant's organization: denied as if it did not exist.
            #expect((results[2]["grantable_by"] as? [Any])?.isEmpty == true && results[2]["reason"] is NSNull)
            #expect(data(compact)["revision"] as? String != nil)

            let (_, full) = try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: #"{"checks":\#(checks),"echo":true}"#)
            let echoed = data(full)["results"] as? [[String: Any]] ?? []
            #expect(echoed.map { $0.keys.sorted() }.first == ["allowed", "permission", "reason", "resource", "revision", "subject"])
            // Apart from the echo, the two forms say the same.
            for (short, long) in zip(results, echoed) {
                for (key, value) in short {
                    // Compared as sorted JSON: dictionaries print in no fixed order.
                    func canonical(_ value: Any?) throws -> Data {
                        try JSONSerialization.data(withJSONObject: [value ?? NSNull()], options: .sortedKeys)
                    }
                    #expect(try canonical(value) == canonical(long[key]), "\(key)")
                }
            }
            // A mistake is named by its position and field, whichever form was asked for.
            let wrong =
                #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"}},{"permission":"job.read","resource":{"type":"job","id":"nope"}}],"echo":false}"#
            #expect(
                details(try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: wrong).1) == [
                    "checks[1].resource.id: must be a UUID"
                ]
            )
            #expect(
                details(try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: #"{"checks":\#(checks),"echo":"no"}"#).1) == [
                    "echo: must be true or false, not a string"
                ]
            )
        }
    }

    /// A batch is decided by the evaluator's batch path; every item answers exactly what the
    /// same check sent alone answers (allowed or denied, reason, `grantable_by`, trace), for
    /// each kind of caller, and a refused item names its position.
    @Test func batchItemsAnswerWhatSingleChecksAnswer() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let job = w.job.uuidString
            let items = [
                #"{"permission":"job.read","resource":{"type":"job","id":"\#(job)"}}"#,
                #"{"permission":"job.cancel","resource":{"type":"job","id":"\#(job)"},"explain":true}"#,
                #"{"permission":"organization.delete","resource":{"type":"organization","id":"\#(w.acme.uuidString)"}}"#,
                #"{"permission":"team.update","resource":{"type":"team","id":"\#(w.red.uuidString)"}}"#,
                #"{"permission":"job.read","resource":{"type":"job","id":"\#(UUID().uuidString)"}}"#,
                #"{"permission":"organization.read","resource":{"type":"organization","id":"\#(w.globex.uuidString)"}}"#,
                // A team role (`via_team`), the creator rule on an external resource, and an
                // external resource in another tenant.
                #"{"permission":"team.read","resource":{"type":"team","id":"\#(w.red.uuidString)"}}"#,
                #"{"permission":"document.edit","resource":{"type":"document","id":"doc/1","organization_id":"\#(w.acme.uuidString)","owner_id":"\#(w.member.uuidString)"}}"#,
                #"{"permission":"document.edit","resource":{"type":"document","id":"doc-2","organization_id":"\#(w.globex.uuidString)"}}"#,
            ]
            for caller in ["owner", "member", "maintainer", "scoped", "stranger"] {
                let key = w.keys[caller]!
                let (status, body) = try await client.post(
                    "/v1/authz/check-batch",
                    bearer: key,
                    json: "{\"checks\":[" + items.joined(separator: ",") + "]}"
                )
                #expect(status == .ok)
                let results = data(body)["results"] as? [[String: Any]] ?? []
                #expect(results.count == items.count)
                for (item, result) in zip(items, results) {
                    let single = data(try await client.post("/v1/authz/check", bearer: key, json: item).1)
                    let canonical = { (value: [String: Any]) in try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) }
                    #expect(try canonical(single) == canonical(result), "\(caller): \(item)")
                }
            }
            // Asked about several subjects in turn (the owner may ask about anyone in Acme),
            // each answer still names its own subject and reason.
            let about = { (subject: UUID, item: String) in #"{"subject":{"type":"principal","id":"\#(subject.uuidString)"},"# + item.dropFirst() }
            let others = [
                about(w.member, items[0]), about(w.maintainer, items[6]), items[0], about(w.member, items[0]), about(w.maintainer, items[2]),
                about(w.maintainer, items[6]),
            ]
            let (_, mixed) = try await client.post(
                "/v1/authz/check-batch",
                bearer: w.keys["owner"]!,
                json: "{\"checks\":[" + others.joined(separator: ",") + "]}"
            )
            let mixedResults = data(mixed)["results"] as? [[String: Any]] ?? []
            #expect(mixedResults.count == others.count)
            for (item, result) in zip(others, mixedResults) {
                let single = data(try await client.post("/v1/authz/check", bearer: w.keys["owner"]!, json: item).1)
                let canonical = { (value: [String: Any]) in try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) }
                #expect(try canonical(single) == canonical(result), "owner about others: \(item)")
            }
            // Asking about someone else needs authz.check: the refusal names the item.
            let other =
                #"{"subject":{"type":"principal","id":"\#(w.owner.uuidString)"},"permission":"job.read","resource":{"type":"job","id":"\#(job)"}}"#
            let (status, body) = try await client.post(
                "/v1/authz/check-batch",
                bearer: w.keys["member"]!,
                json: "{\"checks\":[" + items[0] + "," + other + "]}"
            )
            #expect(status == .forbidden)
            #expect(((body["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("checks[1]: ") == true)
        }
    }

    /// Services check their own resources by their own ids: an external id is text (1 to 256
    /// visible ASCII characters), echoed as sent in the answer, its reason and its trace.
    @Test func externalResourcesKeepTheCallersOwnIDs() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            func check(_ id: String, owner: UUID? = nil, key: String = "member") async throws -> (HTTPResponse.Status, [String: Any]) {
                let owned = owner.map { #","owner_id":"\#($0.uuidString)""# } ?? ""
                let json =
                    #"{"permission":"document.edit","resource":{"type":"document","id":"\#(id)","organization_id":"\#(w.acme.uuidString)"\#(owned)},"explain":true}"#
                return try await client.post("/v1/authz/check", bearer: w.keys[key]!, json: json)
            }
            var (status, body) = try await check("doc-123", owner: w.member)
            #expect(status == .ok && data(body)["allowed"] as? Bool == true, "\(body)")
            #expect((data(body)["resource"] as? [String: Any])?["id"] as? String == "doc-123")
            let on = (data(body)["reason"] as? [String: Any])?["on"] as? [String: Any]
            #expect(on?["type"] as? String == "document" && on?["id"] as? String == "doc-123")
            #expect((data(body)["trace"] as? [String])?.first?.hasPrefix("resolved document doc-123 in organization ") == true)
            // Digits, a path-like id and the longest allowed id are all ids.
            for id in ["42", "projects/7/files/a.txt", String(repeating: "x", count: 256)] {
                (status, body) = try await check(id, owner: w.member)
                #expect(status == .ok && (data(body)["resource"] as? [String: Any])?["id"] as? String == id)
            }
            // An outsider learns nothing, in the same words as for any other id.
            (status, body) = try await check("doc-123", key: "stranger")
            #expect(data(body)["allowed"] as? Bool == false && data(body)["trace"] as? [String] == ["no document doc-123 is visible to the subject"])
            // Too long, empty, with a space or a control character: 400 naming the field.
            for id in [String(repeating: "x", count: 257), "", "doc 123", "doc\\u0007", "caf\u{e9}"] {
                (status, body) = try await check(id)
                #expect(
                    status == .badRequest
                        && details(body) == ["resource.id: must be 1 to 256 visible ASCII characters (no spaces or control characters)"],
                    "\(id): \(body)"
                )
            }
            // In a batch, each answer keeps its own id.
            let batch =
                #"{"checks":[{"permission":"document.read","resource":{"type":"document","id":"a-1","organization_id":"\#(w.acme.uuidString)"}},{"permission":"document.read","resource":{"type":"document","id":"b-2","organization_id":"\#(w.acme.uuidString)"}}]}"#
            (status, body) = try await client.post("/v1/authz/check-batch", bearer: w.keys["member"]!, json: batch)
            let ids = (data(body)["results"] as? [[String: Any]])?.map { ($0["resource"] as? [String: Any])?["id"] as? String }
            #expect(status == .ok && ids == ["a-1", "b-2"])
            // Stored resources keep UUIDs.
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["member"]!,
                json: #"{"permission":"job.read","resource":{"type":"job","id":"42"}}"#
            )
            #expect(status == .badRequest && details(body) == ["resource.id: must be a UUID"])
        }
    }

    /// Every malformed input is a 400 with the paths of every field at fault.
    @Test func validationErrorsNameTheirFields() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let key = w.keys["member"]!
            func problems(_ json: String, _ uri: String = "/v1/authz/check") async throws -> [String] {
                let (status, body) = try await client.post(uri, bearer: key, json: json)
                #expect(status == .badRequest && errorCode(body) == "validation_error")
                return details(body)
            }
            #expect(try await problems("{") == [": the body is not valid JSON"])
            #expect(try await problems("[]") == [": must be an object, not a list"])
            #expect(
                try await problems(#"{"permission":"job.read","resource":{"type":"job","id":"not-a-uuid"},"colour":"red"}"#) == [
                    "colour: is not a known field", "resource.id: must be a UUID",
                ]
            )
            #expect(
                try await problems(#"{"permission":"job.raed","resource":{"type":"jb","id":"\#(w.job.uuidString)"}}"#) == [
                    "resource.type: unknown resource type 'jb'", "permission: unknown permission 'job.raed'",
                ]
            )
            #expect(
                try await problems(#"{"permission":"job.cancel","resource":{"type":"organization","id":"\#(w.acme.uuidString)"}}"#) == [
                    "permission: 'job.cancel' does not apply to a organization"
                ]
            )
            #expect(
                try await problems(
                    #"{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)","organization_id":"\#(w.acme.uuidString)"}}"#
                ) == ["resource.organization_id: is only given for external resource types; 'job' is stored"]
            )
            #expect(
                try await problems(#"{"permission":"document.read","resource":{"type":"document","id":"\#(w.job.uuidString)"}}"#) == [
                    "resource.organization_id: is required"
                ]
            )
            #expect(
                try await problems(#"{"subject":{"type":"group","id":"x"},"permission":7,"explain":"yes"}"#) == [
                    "subject.type: must be \"principal\"", "subject.id: must be a UUID", "resource: is required",
                    "permission: must be a string, not a number", "explain: must be true or false, not a string",
                ]
            )
            #expect(
                try await problems(
                    #"{"checks":[{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"}},{"resource":{"type":"job","id":"\#(w.job.uuidString)"}},{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"},"consistency":{}}]}"#,
                    "/v1/authz/check-batch"
                ) == ["checks[1].permission: is required", "checks[2].consistency: is not a known field"]
            )
            #expect(
                try await problems(
                    #"{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"},"consistency":{"min_revision":"soon"}}"#
                ) == ["consistency.min_revision: must be a revision, a string of digits"]
            )
        }
    }

    @Test func mediaTypeBodyLimitAndRevisionWait() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let w = try await CheckWorld(app)
            let check = #"{"permission":"job.read","resource":{"type":"job","id":"\#(w.job.uuidString)"}"#
            var (status, body) = try await client.post("/v1/authz/check", bearer: w.keys["member"]!, json: check + "}", contentType: "text/plain")
            #expect(status == .unsupportedMediaType && errorCode(body) == "unsupported_media_type")
            let huge = check + #","context":{"pad":""# + String(repeating: "x", count: 1 << 20) + "\"}}"
            (status, body) = try await client.post("/v1/authz/check", bearer: w.keys["member"]!, json: huge)
            #expect(status == .contentTooLarge && errorCode(body) == "payload_too_large", "\(status) \(body)")
            // A revision this replica has applied answers at once; one it never reaches is 503.
            let now = app.service.snapshot.revision
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["member"]!,
                json: check + #","consistency":{"min_revision":"\#(now)"}}"#
            )
            #expect(status == .ok)
            let started = ContinuousClock.now
            (status, body) = try await client.post(
                "/v1/authz/check",
                bearer: w.keys["member"]!,
                json: check + #","consistency":{"min_revision":"\#(now + 10_000)"}}"#
            )
            #expect(status == .serviceUnavailable && errorCode(body) == "revision_unavailable")
            #expect(ContinuousClock.now - started < .seconds(4))
        }
    }
}
