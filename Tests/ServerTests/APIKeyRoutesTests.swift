import APIKeys
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JSON
import NIOCore
import Testing

@testable import Server

extension TestClientProtocol {
    /// A request with any headers; answers the status, the headers and the parsed body.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        bearer: String,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> (HTTPResponse.Status, HTTPFields, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(bearer)"]
        if json != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await self.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            (
                response.status, response.headers,
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            )
        }
    }
}

/// The `/v1/api-keys` routes (docs/API.md §2, §5): shown once, never stored, scoped, organization
/// keys, rotation with grace, disable/enable/revoke effective on the next request, expiry,
/// Idempotency-Key, and who may see which key.
@Suite struct APIKeyRoutesTests {
    @Test func aPersonalKeyIsShownOnceAndNeverStoredInClear() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let (status, _, created) = try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: #"{"name": "laptop"}"#)
            #expect(status == .created)
            let body = data(created)
            let key = try #require(body["key"] as? String)
            let id = try #require(body["id"] as? String)
            #expect(body["prefix"] as? String == "azk_" + id.replacingOccurrences(of: "-", with: ""))
            #expect(key.hasPrefix(body["prefix"] as! String + "_"))
            #expect(body["status"] as? String == "active" && body["role"] is NSNull && body["organization_id"] is NSNull)
            // It authenticates as its user.
            let (_, _, me) = try await client.send(.get, "/v1/me", bearer: key)
            #expect(data(me)["id"] as? String == app.adminID.uuidString.lowercased())
            // Reads and lists never show the key again.
            let (_, _, read) = try await client.send(.get, "/v1/api-keys/\(id)", bearer: key)
            let (_, _, list) = try await client.send(.get, "/v1/api-keys", bearer: app.adminKey)
            #expect(data(read)["key"] == nil && data(read)["last_used_at"] != nil)
            let items = try #require(data(list)["items"] as? [[String: Any]])
            #expect(items.contains { $0["id"] as? String == id } && items.allSatisfy { $0["key"] == nil })
            for response in [read, list] {
                let text = String(decoding: try JSONSerialization.data(withJSONObject: response), as: UTF8.self)
                #expect(!text.contains("argon2") && !text.contains(String(key.suffix(20))))
            }
            // The database file and its WAL hold the argon2id hash, never the secret.
            let secret = String(key.split(separator: "_").last!)
            var stored = Data()
            for file in ["authz.sqlite", "authz.sqlite-wal"] {
                stored.append((try? Data(contentsOf: URL(fileURLWithPath: app.folder + "/" + file))) ?? Data())
            }
            #expect(stored.range(of: Data("$argon2id$".utf8)) != nil)
            #expect(stored.range(of: Data(secret.utf8)) == nil && stored.range(of: Data(secret.prefix(16).utf8)) == nil)
        }
    }

    @Test func bodyValidation() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let past = Timestamp.format(Date().addingTimeInterval(-60))
            let cases: [(String, String)] = [
                (#"{}"#, "name: is required"),
                (#"{"name": "x", "expires_at": "\#(past)"}"#, "expires_at: must be in the future"),
                (#"{"name": "x", "expires_at": "tomorrow"}"#, "expires_at: must be an RFC 3339 timestamp, like 2026-03-19T12:00:00Z"),
                (#"{"name": "x", "scopes": ["job.read", 3]}"#, "scopes[1]: must be a string, not a number"),
                (#"{"name": "x", "scopes": ["job.read", "job.fly"]}"#, "scopes[1]: unknown permission 'job.fly'"),
                (#"{"name": "x", "role": "admin"}"#, "role: only organization keys have a role: give organization_id too"),
                (#"{"name": "x", "secret": "mine"}"#, "secret: is not a known field"),
            ]
            for (json, detail) in cases {
                let (status, _, body) = try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: json)
                #expect(status == .badRequest && errorCode(body) == "validation_error", "\(json)")
                #expect(details(body) == [detail], "\(json)")
            }
            let (status, _, body) = try await client.send(
                .post,
                "/v1/api-keys/\(UUID())/rotate",
                bearer: app.adminKey,
                json: #"{"grace_period_seconds": 604801}"#
            )
            #expect(status == .notFound || details(body) == ["grace_period_seconds: must be a whole number from 0 to 604800"])
        }
    }

    /// A scoped key gets the intersection of its user's permissions and its scopes, on routes
    /// and in check answers, and cannot mint a broader key.
    @Test func aScopedKeyIsNarrowedEverywhere() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let world = try await CheckWorld(app)
            let owner = world.keys["owner"]!
            let (_, _, created) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: owner,
                json: #"{"name": "reader", "scopes": ["organization.read", "team.read", "api_key.create"]}"#
            )
            let scoped = try #require(data(created)["key"] as? String)
            let (readStatus, _, _) = try await client.send(.get, "/v1/organizations/\(world.acme)", bearer: scoped)
            #expect(readStatus == .ok)
            let (createStatus, _, forbidden) = try await client.send(
                .post,
                "/v1/teams",
                bearer: scoped,
                json: #"{"organization_id": "\#(world.acme)", "name": "Blue"}"#
            )
            #expect(createStatus == .forbidden && errorCode(forbidden) == "forbidden")
            let (_, _, check) = try await client.send(
                .post,
                "/v1/authz/check",
                bearer: scoped,
                json: #"{"permission": "team.create", "resource": {"type": "organization", "id": "\#(world.acme)"}}"#
            )
            #expect(data(check)["allowed"] as? Bool == false)
            let (_, _, inScope) = try await client.send(
                .post,
                "/v1/authz/check",
                bearer: scoped,
                json: #"{"permission": "organization.read", "resource": {"type": "organization", "id": "\#(world.acme)"}}"#
            )
            #expect(data(inScope)["allowed"] as? Bool == true)
            // No broader key from a scoped one; a narrower one is fine.
            for json in [#"{"name": "wide"}"#, #"{"name": "wider", "scopes": ["team.create"]}"#] {
                let (status, _, _) = try await client.send(.post, "/v1/api-keys", bearer: scoped, json: json)
                #expect(status == .forbidden, "\(json)")
            }
            let (narrow, _, _) = try await client.send(.post, "/v1/api-keys", bearer: scoped, json: #"{"name": "narrow", "scopes": ["team.read"]}"#)
            #expect(narrow == .created)
            // Its scopes lack api_key.read and api_key.manage: no listing, no revoking.
            let (listStatus, _, _) = try await client.send(.get, "/v1/api-keys", bearer: scoped)
            #expect(listStatus == .forbidden)
        }
    }

    @Test func organizationKeysActAsAServicePrincipalWithTheirRole() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let world = try await CheckWorld(app)
            let (owner, member, stranger) = (world.keys["owner"]!, world.keys["member"]!, world.keys["stranger"]!)
            // A member may create a member key, not an admin key; an outsider sees no organization.
            let (status, _, created) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: member,
                json: #"{"name": "ci", "organization_id": "\#(world.acme)"}"#
            )
            #expect(status == .created && data(created)["role"] as? String == "member")
            let orgKey = try #require(data(created)["key"] as? String)
            let orgKeyID = try #require(data(created)["id"] as? String)
            let (escalate, _, _) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: member,
                json: #"{"name": "x", "organization_id": "\#(world.acme)", "role": "admin"}"#
            )
            #expect(escalate == .forbidden)
            // That refusal came from a domain rule after the evaluator allowed api_key.create
            // on Acme: it is in Acme's audit log, not only the platform's.
            let (_, _, refusals) = try await client.send(.get, "/v1/organizations/\(world.acme)/audit-logs?action=request.denied", bearer: owner)
            let refused = (data(refusals)["items"] as? [[String: Any]] ?? []).filter { ($0["data"] as? [String: String])?["route"] == "/v1/api-keys" }
            #expect(refused.count == 1 && (refused.first?["data"] as? [String: String])?["status"] == "403")
            // Scopes the role does not grant are refused, each with its path; nothing is written.
            let (wide, _, wideBody) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: member,
                json:
                    #"{"name": "x", "organization_id": "\#(world.acme)", "role": "member", "scopes": ["job.read", "member.manage", "api_key.manage", "organization.transfer"]}"#
            )
            #expect(wide == .badRequest && errorCode(wideBody) == "validation_error")
            #expect(details(wideBody) == ["scopes[1]: 'member.manage' is not granted by the key's role 'member'"])
            let (narrow, _, narrowBody) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: member,
                json: #"{"name": "reader", "organization_id": "\#(world.acme)", "scopes": ["job.read"]}"#
            )
            #expect(narrow == .created && data(narrowBody)["scopes"] as? [String] == ["job.read"])
            let (outside, _, _) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: stranger,
                json: #"{"name": "x", "organization_id": "\#(world.acme)"}"#
            )
            #expect(outside == .notFound)
            let (badRole, _, badBody) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: owner,
                json: #"{"name": "x", "organization_id": "\#(world.acme)", "role": "emperor"}"#
            )
            #expect(badRole == .badRequest && details(badBody).first?.hasPrefix("role: unknown role 'emperor'") == true)

            // The key is a service principal, member of the organization.
            let (_, _, me) = try await client.send(.get, "/v1/me", bearer: orgKey)
            #expect(data(me)["kind"] as? String == "service" && data(me)["id"] as? String == data(created)["principal_id"] as? String)
            let (_, _, check) = try await client.send(
                .post,
                "/v1/authz/check",
                bearer: orgKey,
                json: #"{"permission": "job.create", "resource": {"type": "organization", "id": "\#(world.acme)"}}"#
            )
            #expect(data(check)["allowed"] as? Bool == true)

            // Admins list the organization's keys; the creator reads its own; others: 403 or 404.
            let (_, _, list) = try await client.send(.get, "/v1/api-keys?organization_id=\(world.acme)", bearer: owner)
            #expect((data(list)["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [orgKeyID, data(narrowBody)["id"] as? String])
            let (memberList, _, _) = try await client.send(.get, "/v1/api-keys?organization_id=\(world.acme)", bearer: member)
            #expect(memberList == .forbidden)
            let (creatorRead, _, _) = try await client.send(.get, "/v1/api-keys/\(orgKeyID)", bearer: member)
            #expect(creatorRead == .ok)
            let (otherRead, _, _) = try await client.send(.get, "/v1/api-keys/\(orgKeyID)", bearer: world.keys["maintainer"]!)
            #expect(otherRead == .forbidden)
            let (strangerRead, _, _) = try await client.send(.get, "/v1/api-keys/\(orgKeyID)", bearer: stranger)
            let (strangerList, _, _) = try await client.send(.get, "/v1/api-keys?organization_id=\(world.acme)", bearer: stranger)
            #expect(strangerRead == .notFound && strangerList == .notFound)
            // Personal keys are their user's alone.
            let (_, _, mine) = try await client.send(.post, "/v1/api-keys", bearer: member, json: #"{"name": "mine"}"#)
            let mineID = try #require(data(mine)["id"] as? String)
            for key in [owner, stranger, app.adminKey] {
                let (status, _, _) = try await client.send(.delete, "/v1/api-keys/\(mineID)", bearer: key)
                #expect(status == .notFound)
            }
        }
    }

    /// The next page of an organization's keys is that organization's, not the caller's own:
    /// `links.next` keeps the query's filters.
    @Test func pagesKeepTheirFilters() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let world = try await CheckWorld(app)
            let owner = world.keys["owner"]!
            var created: [String] = []
            for name in ["a", "b", "c"] {
                let (_, _, body) = try await client.send(
                    .post,
                    "/v1/api-keys",
                    bearer: owner,
                    json: #"{"name": "\#(name)", "organization_id": "\#(world.acme)"}"#
                )
                created.append(try #require(data(body)["id"] as? String))
            }
            var seen: [String] = []
            var next: String? = "/v1/api-keys?organization_id=\(world.acme)&limit=2"
            while let page = next {
                let (_, _, body) = try await client.send(.get, page, bearer: owner)
                seen += (data(body)["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                next = (body["links"] as? [String: Any])?["next"] as? String
                #expect(next.map { $0.contains("organization_id=\(world.acme)") } ?? true)
            }
            #expect(seen == created.sorted())
        }
    }

    /// Rotation returns the new key once; the old one works through the grace period, then
    /// 401 (it was in the verified cache all along); grace 0 ends it at once. Assertions made
    /// inside a grace period use one long enough that a loaded machine cannot outlast it;
    /// the end of a period is shown with a short one, slept past.
    @Test func rotationWithAGracePeriod() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let (_, _, created) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: app.adminKey,
                json: #"{"name": "svc", "scopes": ["organization.read", "api_key.manage", "api_key.read"]}"#
            )
            let old = try #require(data(created)["key"] as? String)
            let id = try #require(data(created)["id"] as? String)
            #expect(try await client.send(.get, "/v1/me", bearer: old).0 == .ok)
            let (status, _, rotated) = try await client.send(.post, "/v1/api-keys/\(id)/rotate", bearer: old, json: #"{"grace_period_seconds": 300}"#)
            #expect(status == .created)
            let new = try #require(data(rotated)["key"] as? String)
            let newID = try #require(data(rotated)["id"] as? String)
            #expect(
                data(rotated)["name"] as? String == "svc"
                    && data(rotated)["scopes"] as? [String] == ["organization.read", "api_key.manage", "api_key.read"]
            )
            #expect(newID != id)
            #expect(try await client.send(.get, "/v1/me", bearer: old).0 == .ok)
            #expect(try await client.send(.get, "/v1/me", bearer: new).0 == .ok)
            let (_, _, retired) = try await client.send(.get, "/v1/api-keys/\(id)", bearer: new)
            #expect(data(retired)["replaced_by"] as? String == newID)
            // Inside its grace period the old key is `rotating`, ending at its expires_at; the
            // new one names the key it replaced.
            #expect(data(retired)["status"] as? String == "rotating" && data(retired)["expires_at"] is String)
            #expect(data(rotated)["replaces"] as? String == id && data(rotated)["replaced_by"] is NSNull)
            let (_, _, fresh) = try await client.send(.get, "/v1/api-keys/\(newID)", bearer: new)
            #expect(data(fresh)["replaces"] as? String == id && data(fresh)["status"] as? String == "active")
            #expect(data(created)["replaces"] is NSNull)
            let (twice, _, conflict) = try await client.send(.post, "/v1/api-keys/\(id)/rotate", bearer: new)
            #expect(twice == .conflict && errorCode(conflict) == "conflict")

            // The end of a grace period: `new` is in the verified cache, and is refused once
            // its one second is over.
            let (_, _, second) = try await client.send(.post, "/v1/api-keys/\(newID)/rotate", bearer: new, json: #"{"grace_period_seconds": 1}"#)
            let newest = try #require(data(second)["key"] as? String)
            let newestID = try #require(data(second)["id"] as? String)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await client.send(.get, "/v1/me", bearer: new).0 == .unauthorized)
            #expect(try await client.send(.get, "/v1/me", bearer: newest).0 == .ok)
            let (_, _, expired) = try await client.send(.get, "/v1/api-keys/\(newID)", bearer: newest)
            #expect(data(expired)["status"] as? String == "expired")

            // Grace 0 (and no body at all): at once.
            let (_, _, third) = try await client.send(.post, "/v1/api-keys/\(newestID)/rotate", bearer: app.adminKey)
            #expect(try await client.send(.get, "/v1/me", bearer: newest).0 == .unauthorized)
            #expect(try await client.send(.get, "/v1/me", bearer: try #require(data(third)["key"] as? String)).0 == .ok)
        }
    }

    @Test func revokeAndDisableTakeEffectOnTheNextRequest() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let (_, _, created) = try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: #"{"name": "k"}"#)
            let key = try #require(data(created)["key"] as? String)
            let id = try #require(data(created)["id"] as? String)
            #expect(try await client.send(.get, "/v1/me", bearer: key).0 == .ok)  // now in the verified cache
            let (disabled, _, body) = try await client.send(.post, "/v1/api-keys/\(id)/disable", bearer: app.adminKey)
            #expect(disabled == .ok && data(body)["status"] as? String == "disabled")
            let (refused, _, refusal) = try await client.send(.get, "/v1/me", bearer: key)
            #expect(refused == .unauthorized && errorCode(refusal) == "unauthorized")
            #expect(try await client.send(.post, "/v1/api-keys/\(id)/enable", bearer: app.adminKey).0 == .ok)
            #expect(try await client.send(.get, "/v1/me", bearer: key).0 == .ok)
            let (revoked, _, _) = try await client.send(.delete, "/v1/api-keys/\(id)", bearer: app.adminKey)
            #expect(revoked == .ok)
            #expect(try await client.send(.get, "/v1/me", bearer: key).0 == .unauthorized)
            let (enable, _, conflict) = try await client.send(.post, "/v1/api-keys/\(id)/enable", bearer: app.adminKey)
            #expect(enable == .conflict && errorCode(conflict) == "conflict")
            // Each step, and the refused attempts, are in the audit log.
            let actions = try await app.service.auditRecords(organization: nil, after: 0, limit: 100).map(\.event.action)
            #expect(actions.filter { $0.hasPrefix("api_key.") } == ["api_key.created", "api_key.disabled", "api_key.enabled", "api_key.revoked"])
            #expect(actions.filter { $0 == "authentication.failed" }.count == 2)
            // Each record says who, with which key, from where, in which request.
            let records = try await app.service.auditRecords(organization: nil, after: 0, limit: 100).map(\.event)
            let disabledRecord = try #require(records.first { $0.action == "api_key.disabled" })
            #expect(disabledRecord.context.actorID == app.adminID && disabledRecord.context.keyID == APIKey(parsing: app.adminKey)?.id)
            #expect(disabledRecord.context.requestID != nil && disabledRecord.context.clientAddress != nil)
            #expect(try await app.service.verifyAudit() == .intact(events: records.count, chains: 1))
            #expect(records.first?.action == "principal.created")
        }
    }

    @Test func anExpiredKeyIsRefusedOnceItExpiresAndUseIsRecorded() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            // Long enough for the first use while the whole suite loads the machine (5 s was
            // not, once); the wait below is until it passed.
            let expiresAt = Date().addingTimeInterval(12)
            let expiry = Timestamp.format(expiresAt)
            let (_, _, created) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: app.adminKey,
                json: #"{"name": "short", "expires_at": "\#(expiry)"}"#
            )
            let key = try #require(data(created)["key"] as? String)
            let id = try #require(UUID(uuidString: data(created)["id"] as? String ?? ""))
            #expect(try await client.send(.get, "/v1/me", bearer: key).0 == .ok)
            // last_used_at is written off the request path.
            var used: Date?
            let deadline = ContinuousClock.now + .seconds(10)
            while used == nil, ContinuousClock.now < deadline {
                used = try await app.service.apiKey(id)?.lastUsedAt
                if used == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(used != nil)
            try await Task.sleep(for: .milliseconds(Int(max(0, expiresAt.timeIntervalSinceNow) * 1000) + 100))
            #expect(try await client.send(.get, "/v1/me", bearer: key).0 == .unauthorized)
        }
    }

    /// Same Idempotency-Key and body: the first answer again, key included, marked replayed;
    /// another body: 409. The stored reply is sealed: the database never holds the key.
    @Test func idempotentCreation() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let idempotency: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "7c1e3f7a-create-ci-key"]
            let json = #"{"name": "ci"}"#
            let (first, firstHeaders, original) = try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: json, headers: idempotency)
            let (second, headers, replay) = try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: json, headers: idempotency)
            #expect(first == .created && second == .created)
            #expect(firstHeaders[HTTPField.Name("Idempotent-Replayed")!] == nil && headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let key = try #require(data(original)["key"] as? String)
            #expect(data(replay)["key"] as? String == key && data(replay)["id"] as? String == data(original)["id"] as? String)
            // The replay's meta is its own: its request id (as in X-Request-Id), trace id and
            // time; the first request's id is in Original-Request-Id.
            let firstMeta = try #require(original["meta"] as? [String: Any])
            let replayMeta = try #require(replay["meta"] as? [String: Any])
            #expect(replayMeta["request_id"] as? String == headers[HTTPField.Name("X-Request-Id")!])
            #expect(replayMeta["request_id"] as? String != firstMeta["request_id"] as? String)
            #expect(replayMeta["trace_id"] as? String != firstMeta["trace_id"] as? String)
            #expect(headers[HTTPField.Name("Original-Request-Id")!] == firstMeta["request_id"] as? String)
            #expect(replayMeta["revision"] as? String == firstMeta["revision"] as? String && replayMeta["status"] as? Int == 201)
            // Limited like the route: a fresh key's first request and its replay are both
            // charged to the principal's group.
            let fresh: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "fresh-key-first-use"]
            let (_, firstUse, _) = try await client.send(.post, "/v1/api-keys", bearer: key, json: #"{"name": "from-fresh"}"#, headers: fresh)
            let (_, replayUse, _) = try await client.send(.post, "/v1/api-keys", bearer: key, json: #"{"name": "from-fresh"}"#, headers: fresh)
            #expect(replayUse[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(firstUse[HTTPField.Name("RateLimit-Limit")!] == "1200" && replayUse[HTTPField.Name("RateLimit-Limit")!] == "1200")
            let (_, _, list) = try await client.send(.get, "/v1/api-keys", bearer: app.adminKey)
            #expect((data(list)["items"] as? [Any])?.count == 3)  // the bootstrap key, the new key, and the one it made
            let (conflict, _, body) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: app.adminKey,
                json: #"{"name": "other"}"#,
                headers: idempotency
            )
            #expect(conflict == .conflict && errorCode(body) == "idempotency_conflict")
            // A failed request keeps nothing: the key may be used again.
            let retry: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retry-after-fix"]
            #expect(try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: #"{}"#, headers: retry).0 == .badRequest)
            #expect(try await client.send(.post, "/v1/api-keys", bearer: app.adminKey, json: json, headers: retry).0 == .created)
            let (badKey, _, _) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: app.adminKey,
                json: json,
                headers: [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 256)]
            )
            #expect(badKey == .badRequest)
            let secret = String(key.split(separator: "_").last!)
            var stored = Data()
            for file in ["authz.sqlite", "authz.sqlite-wal"] {
                stored.append((try? Data(contentsOf: URL(fileURLWithPath: app.folder + "/" + file))) ?? Data())
            }
            #expect(stored.range(of: Data(secret.prefix(16).utf8)) == nil)
        }
    }
}
