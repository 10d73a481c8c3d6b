import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JSON
import NIOCore
import SQLiteNIO
import Stores
import Testing
import Workloads

@testable import Server

/// `/v1/shares` and the public `/v1/public/shares/{token}` (docs/API.md §5): each row of the states
/// table over HTTP with its status, code and `Cache-Control`, who may share and revoke, and
/// the client address behind trusted and untrusted proxies.
@Suite struct ShareRoutesTests {
    static let password = HTTPField.Name("X-Share-Password")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// A finished job of the tenant's team, made by its member.
    static func finishedJob(_ app: AuthenticatedApplication, _ tenant: Tenant) async throws -> UUID {
        let jobs = JobService(identity: app.service)
        let (job, _) = try await jobs.submit(
            organization: tenant.organization,
            team: tenant.team,
            provider: "echo",
            input: ["text": .string("for everyone")],
            creator: tenant.memberID,
            audit: AuditContext(actorID: tenant.memberID)
        )
        // The application's runner may be the one that runs it.
        if let claimed = try await jobs.claimNext(runner: UUID(), lease: .seconds(30)) {
            try await jobs.finish(claimed, with: .success(ProviderOutput(text: "for everyone", units: 2)))
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await jobs.job(job.id)?.status != .succeeded, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return job.id
    }

    static func publicRead(
        _ client: any TestClientProtocol,
        _ token: String,
        password: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, code: String?, headers: HTTPFields, body: [String: Any]) {
        var headers = extra
        if let password { headers[Self.password] = password }
        return try await client.execute(uri: "/v1/public/shares/\(token)", method: .get, headers: headers) { response in
            let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            return (response.status, errorCode(body), response.headers, body)
        }
    }

    @Test func theStatesTable() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let job = try await Self.finishedJob(app, tenant)
            let body = #"{"resource": {"type": "job", "id": "\#(job)"}, "password": "correct horse"}"#
            // Sharing needs share.create on the resource: a viewer lacks it, another tenant cannot see it.
            #expect(try await client.send(.post, "/v1/shares", bearer: tenant.viewerKey, json: body).0 == .forbidden)
            #expect(try await client.send(.post, "/v1/shares", bearer: tenant.outsiderKey, json: body).0 == .notFound)
            let (badType, _, badBody) = try await client.send(
                .post,
                "/v1/shares",
                bearer: tenant.memberKey,
                json: #"{"resource": {"type": "team", "id": "\#(tenant.team)"}}"#
            )
            #expect(badType == .badRequest && details(badBody) == ["resource.type: must be job, workflow_run or asset"])
            let (created, _, share) = try await client.send(.post, "/v1/shares", bearer: tenant.memberKey, json: body)
            #expect(created == .created)
            let token = try #require(data(share)["token"] as? String)
            let id = try #require(data(share)["id"] as? String)
            #expect(
                token.count == 64 && data(share)["url"] as? String == "/v1/public/shares/\(token)" && data(share)["has_password"] as? Bool == true
            )

            // missing password, wrong password, then the snapshot.
            var read = try await Self.publicRead(client, token)
            #expect(read.status == .unauthorized && read.code == "share_password_required" && read.headers[.cacheControl] == "no-store")
            read = try await Self.publicRead(client, token, password: "wrong horse")
            #expect(read.status == .unauthorized && read.code == "share_wrong_password" && read.headers[.cacheControl] == "no-store")
            read = try await Self.publicRead(client, token, password: "correct horse")
            #expect(read.status == .ok && read.headers[.cacheControl] == "private, no-store")
            let snapshot = data(read.body)
            #expect((snapshot["output"] as? [String: Any])?["text"] as? String == "for everyone" && snapshot["type"] as? String == "job")
            let text = String(decoding: try JSONSerialization.data(withJSONObject: read.body), as: UTF8.self)
            for secret in [tenant.organization.text, tenant.team.text, tenant.memberID.text, job.text, id] { #expect(!text.contains(secret)) }
            // Unknown token.
            read = try await Self.publicRead(client, String(repeating: "0", count: 64), password: "x")
            #expect(read.status == .notFound && read.code == "share_not_found" && read.headers[.cacheControl] == "no-store")

            // The organization's list never shows tokens; another tenant cannot list it.
            let (_, _, list) = try await client.send(.get, "/v1/shares?organization_id=\(tenant.organization)", bearer: tenant.viewerKey)
            let items = try #require(data(list)["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [id] && items.allSatisfy { $0["token"] == nil && $0["url"] == nil })
            #expect(try await client.send(.get, "/v1/shares?organization_id=\(tenant.organization)", bearer: tenant.outsiderKey).0 == .notFound)

            // Four more wrong passwords lock this client out: 429 with Retry-After and the rate-limit headers.
            for _ in 0..<4 { _ = try await Self.publicRead(client, token, password: "wrong horse") }
            read = try await Self.publicRead(client, token, password: "correct horse")
            #expect(read.status == .tooManyRequests && read.code == "share_password_locked" && read.headers[.cacheControl] == "no-store")
            #expect(read.headers[.retryAfter].flatMap(Int.init).map { (895...900).contains($0) } == true)
            #expect(read.headers[HTTPField.Name("RateLimit-Remaining")!] == "0" && read.headers[HTTPField.Name("RateLimit-Limit")!] == "5")

            // A snapshot edited in the database fails its integrity check.
            let open = #"{"resource": {"type": "job", "id": "\#(job)"}}"#
            let (_, _, plain) = try await client.send(.post, "/v1/shares", bearer: tenant.memberKey, json: open)
            let plainToken = try #require(data(plain)["token"] as? String)
            let connection = try await SQLiteConnection.open(storage: .file(path: app.folder + "/authz.sqlite"))
            _ = try await connection.query(
                "UPDATE shares SET snapshot = replace(snapshot, 'for everyone', 'for someone') WHERE id = ?",
                [.text(data(plain)["id"] as! String)]
            )
            try await connection.close()
            read = try await Self.publicRead(client, plainToken)
            #expect(read.status == .conflict && read.code == "evidence_unverified" && read.headers[.cacheControl] == "no-store")

            // Revoked by its creator (a viewer may not): 410; revoking twice is 409.
            #expect(try await client.send(.post, "/v1/shares/\(id)/revoke", bearer: tenant.viewerKey).0 == .forbidden)
            let (revoked, _, revokedBody) = try await client.send(.post, "/v1/shares/\(id)/revoke", bearer: tenant.memberKey)
            #expect(revoked == .ok && data(revokedBody)["status"] as? String == "revoked")
            #expect(try await client.send(.post, "/v1/shares/\(id)/revoke", bearer: tenant.memberKey).0 == .conflict)
            read = try await Self.publicRead(client, token, password: "correct horse")
            #expect(read.status == .gone && read.code == "share_revoked" && read.headers[.cacheControl] == "no-store")
        }
    }

    /// The read limit is 5 a minute here, not the default 60: the bucket refills at a twelfth
    /// of a read per second, so however slowly the five reads run (60 reads took over a
    /// second on a loaded CI machine, which refilled a token), the sixth finds it empty.
    @Test func expiredDeletedAndReadLimited() async throws {
        try await AuthenticatedApplication.withApplication(shareLimits: ShareLimits(readsPerMinute: 5)) { client, app in
            let tenant = try await Tenant.make(app)
            let job = try await Self.finishedJob(app, tenant)
            // Far enough ahead that a loaded machine still creates it before it ends; the
            // rest of the test runs inside that time, so it adds little to the test.
            let expiresAt = Date().addingTimeInterval(5)
            let soon = Timestamp.format(expiresAt)
            let (_, _, expiring) = try await client.send(
                .post,
                "/v1/shares",
                bearer: tenant.memberKey,
                json: #"{"resource": {"type": "job", "id": "\#(job)"}, "expires_at": "\#(soon)"}"#
            )
            let expiringToken = try #require(data(expiring)["token"] as? String)

            // A shared asset that is deleted: filtered.
            let (_, uploaded) = try await client.execute(
                uri: "/v1/assets?organization_id=\(tenant.organization)&name=a.txt",
                method: .post,
                headers: [.authorization: "Bearer \(tenant.memberKey)"],
                body: ByteBuffer(string: "asset")
            ) { ($0.status, try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any] ?? [:]) }
            let asset = try #require(data(uploaded)["id"] as? String)
            let (_, _, assetShare) = try await client.send(
                .post,
                "/v1/shares",
                bearer: tenant.memberKey,
                json: #"{"resource": {"type": "asset", "id": "\#(asset)"}}"#
            )
            let assetToken = try #require(data(assetShare)["token"] as? String)
            var read = try await Self.publicRead(client, assetToken)
            #expect(read.status == .ok && data(read.body)["name"] as? String == "a.txt" && data(read.body)["size"] as? Int == 5)
            #expect(try await client.send(.delete, "/v1/assets/\(asset)", bearer: app.adminKey).0 == .ok)
            read = try await Self.publicRead(client, assetToken)
            #expect(read.status == .conflict && read.code == "artifact_filtered" && read.headers[.cacheControl] == "no-store")

            // Five reads a minute per client per share; the sixth is refused with Retry-After
            // (about the twelve seconds one read takes to refill).
            let (_, _, open) = try await client.send(
                .post,
                "/v1/shares",
                bearer: tenant.memberKey,
                json: #"{"resource": {"type": "job", "id": "\#(job)"}}"#
            )
            let token = try #require(data(open)["token"] as? String)
            for _ in 0..<5 { #expect(try await Self.publicRead(client, token).status == .ok) }
            read = try await Self.publicRead(client, token)
            #expect(read.status == .tooManyRequests && read.code == "share_rate_limited" && read.headers[.cacheControl] == "no-store")
            #expect((1...12).contains(read.headers[.retryAfter].flatMap { Int($0) } ?? 0) && read.headers[HTTPField.Name("RateLimit-Limit")!] == "5")
            #expect(read.headers[HTTPField.Name("RateLimit-Remaining")!] == "0")

            try await Task.sleep(for: .milliseconds(Int(max(0, expiresAt.timeIntervalSinceNow) * 1000) + 100))
            read = try await Self.publicRead(client, expiringToken)
            #expect(read.status == .gone && read.code == "share_expired" && read.headers[.cacheControl] == "no-store")
        }
    }

    /// `X-Forwarded-For` counts only from a trusted proxy: behind one, each client has its own
    /// lockout; otherwise the header is ignored and the socket peer is the client.
    @Test(arguments: [true, false])
    func forwardedForOnlyFromTrustedProxies(_ trusted: Bool) async throws {
        try await AuthenticatedApplication.withApplication(live: true, trustedProxies: trusted ? ["127.0.0.1"] : []) { client, app in
            let tenant = try await Tenant.make(app)
            let job = try await Self.finishedJob(app, tenant)
            let (_, _, share) = try await client.send(
                .post,
                "/v1/shares",
                bearer: tenant.memberKey,
                json: #"{"resource": {"type": "job", "id": "\#(job)"}, "password": "correct horse"}"#
            )
            let token = try #require(data(share)["token"] as? String)
            for _ in 0..<5 {
                _ = try await Self.publicRead(client, token, password: "wrong", headers: [Self.forwardedFor: "198.51.100.1, 203.0.113.7"])
            }
            let other = try await Self.publicRead(client, token, password: "correct horse", headers: [Self.forwardedFor: "203.0.113.8"])
            #expect(other.status == (trusted ? .ok : .tooManyRequests))
            let (_, _, audit) = try await client.send(
                .get,
                "/v1/organizations/\(tenant.organization)/audit-logs?action=share.password_failed",
                bearer: app.adminKey
            )
            let addresses = Set((data(audit)["items"] as? [[String: Any]] ?? []).compactMap { $0["client_address"] as? String })
            #expect(addresses == [trusted ? "203.0.113.7" : "127.0.0.1"])
        }
    }
}
