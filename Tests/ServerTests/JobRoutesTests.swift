import Foundation
import HTTPTypes
import HummingbirdTesting
import JSON
import NIOCore
import Testing

@testable import Server

/// `/v1/jobs` (docs/API.md §5) on a live server whose worker pool runs: submission with its
/// estimate and `Idempotency-Key`, the run to completion, reads and lists filtered by the
/// evaluator, usage, the event stream, cancellation and who may do what.
@Suite struct JobRoutesTests {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    @Test func aJobRunsToCompletion() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let body =
                #"{"organization_id": "\#(tenant.organization)", "team_id": "\#(tenant.team)", "provider": "echo", "input": {"text": "to be done"}}"#
            let (status, _, created) = try await client.send(
                .post,
                "/v1/jobs",
                bearer: tenant.memberKey,
                json: body,
                headers: [Self.idempotencyKey: "job-1"]
            )
            #expect(status == .created)
            let job = data(created)
            let id = try #require(job["id"] as? String)
            #expect(job["status"] as? String == "queued" && (job["cost_estimate"] as? [String: Any])?["units"] as? Int == 3)
            #expect(job["created_by"] as? String == tenant.memberID.text && job["team_id"] as? String == tenant.team.text)
            // The same key and body replay the first answer; another body with it is a conflict.
            let (replayStatus, replayHeaders, replay) = try await client.send(
                .post,
                "/v1/jobs",
                bearer: tenant.memberKey,
                json: body,
                headers: [Self.idempotencyKey: "job-1"]
            )
            #expect(
                replayStatus == .created && data(replay)["id"] as? String == id && replayHeaders[HTTPField.Name("Idempotent-Replayed")!] == "true"
            )
            let other = body.replacingOccurrences(of: "to be done", with: "something else")
            let (conflict, _, conflictBody) = try await client.send(
                .post,
                "/v1/jobs",
                bearer: tenant.memberKey,
                json: other,
                headers: [Self.idempotencyKey: "job-1"]
            )
            #expect(conflict == .conflict && errorCode(conflictBody) == "idempotency_conflict")

            let finished = try await Self.waitForStatus(client, id: id, key: tenant.memberKey) { $0 == "succeeded" }
            #expect((finished["output"] as? [String: Any])?["text"] as? String == "to be done" && finished["finished_at"] is String)

            // Readable by the organization's viewers, invisible elsewhere.
            #expect(try await client.send(.get, "/v1/jobs/\(id)", bearer: tenant.viewerKey).0 == .ok)
            #expect(try await client.send(.get, "/v1/jobs/\(id)", bearer: tenant.outsiderKey).0 == .notFound)
            #expect(try await client.send(.get, "/v1/jobs/\(UUID())", bearer: tenant.memberKey).0 == .notFound)
            #expect(try await client.send(.get, "/v1/jobs/not-an-id", bearer: tenant.memberKey).0 == .badRequest)

            // Lists hold only what the caller may read.
            let (_, _, mine) = try await client.send(.get, "/v1/jobs", bearer: tenant.memberKey)
            #expect((data(mine)["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let (_, _, filtered) = try await client.send(
                .get,
                "/v1/jobs?organization_id=\(tenant.organization)&status=queued",
                bearer: tenant.viewerKey
            )
            #expect((data(filtered)["items"] as? [[String: Any]])?.isEmpty == true)
            let (_, _, theirs) = try await client.send(.get, "/v1/jobs", bearer: tenant.outsiderKey)
            #expect((data(theirs)["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await client.send(.get, "/v1/jobs?organization_id=\(tenant.organization)", bearer: tenant.outsiderKey).0 == .notFound)
            let (badStatus, _, bad) = try await client.send(.get, "/v1/jobs?status=done", bearer: tenant.memberKey)
            #expect(badStatus == .badRequest && details(bad) == ["status: must be one of queued, running, succeeded, failed, cancelled"])

            // Its usage.
            let (_, _, usage) = try await client.send(.get, "/v1/jobs/\(id)/usage", bearer: tenant.viewerKey)
            let records = try #require(data(usage)["items"] as? [[String: Any]])
            #expect(records.count == 1 && records[0]["job_id"] as? String == id && records[0]["units"] as? Int == 3)

            // Its events, from the start; then after Last-Event-ID.
            let events = try await Self.events(client, id: id, key: tenant.viewerKey)
            #expect(events.map(\.id) == ["1", "2", "3"] && events.map { $0.json["status"] as? String } == ["queued", "running", "succeeded"])
            let resumed = try await Self.events(client, id: id, key: tenant.viewerKey, after: "2")
            #expect(resumed.map(\.id) == ["3"])
            #expect(try await client.send(.get, "/v1/jobs/\(id)/events", bearer: tenant.outsiderKey).0 == .notFound)

            // A finished job cannot be cancelled.
            let (late, _, lateBody) = try await client.send(.post, "/v1/jobs/\(id)/cancel", bearer: tenant.memberKey)
            #expect(late == .conflict && errorCode(lateBody) == "conflict")
        }
    }

    @Test func cancellingARunningJob() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let body = #"{"organization_id": "\#(tenant.organization)", "provider": "sleep", "input": {"milliseconds": 30000}}"#
            // A viewer may not submit.
            #expect(try await client.send(.post, "/v1/jobs", bearer: tenant.viewerKey, json: body).0 == .forbidden)
            #expect(try await client.send(.post, "/v1/jobs", bearer: tenant.outsiderKey, json: body).0 == .notFound)
            let (_, _, created) = try await client.send(.post, "/v1/jobs", bearer: tenant.memberKey, json: body)
            let id = try #require(data(created)["id"] as? String)
            _ = try await Self.waitForStatus(client, id: id, key: tenant.memberKey) { $0 == "running" }
            // A viewer may read but not cancel; the creator (a plain member) may cancel its own job.
            let (refused, _, refusal) = try await client.send(.post, "/v1/jobs/\(id)/cancel", bearer: tenant.viewerKey)
            #expect(refused == .forbidden && errorCode(refusal) == "forbidden")
            let (status, _, cancelled) = try await client.send(.post, "/v1/jobs/\(id)/cancel", bearer: tenant.memberKey)
            #expect(status == .ok && data(cancelled)["status"] as? String == "cancelled")
            // It stays cancelled: the runner stopped it without recording anything else.
            try await Task.sleep(for: .milliseconds(200))
            let events = try await Self.events(client, id: id, key: tenant.memberKey)
            #expect(events.map { $0.json["status"] as? String } == ["queued", "running", "cancelled"])
            // The refusal was audited.
            let (_, _, audit) = try await client.send(
                .get,
                "/v1/organizations/\(tenant.organization)/audit-logs?outcome=denied",
                bearer: app.adminKey
            )
            #expect((data(audit)["items"] as? [[String: Any]])?.contains { ($0["data"] as? [String: String])?["permission"] == "job.cancel" } == true)
        }
    }

    /// The job's stream follows it live: opened while it runs, it delivers the cancellation
    /// as it happens and then ends.
    @Test func theEventStreamFollowsARunningJob() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let body = #"{"organization_id": "\#(tenant.organization)", "provider": "sleep", "input": {"milliseconds": 30000}}"#
            let (_, _, created) = try await client.send(.post, "/v1/jobs", bearer: tenant.memberKey, json: body)
            let id = try #require(data(created)["id"] as? String)
            _ = try await Self.waitForStatus(client, id: id, key: tenant.memberKey) { $0 == "running" }
            let port = try #require(client.port)
            let text = try await RawEventStream.with(
                port: port,
                path: "/v1/jobs/\(id)/events",
                headers: ["Authorization": "Bearer \(tenant.memberKey)"]
            ) { reader in
                _ = try await reader.read { $0.contains(#""status":"running""#) }
                #expect(try await client.send(.post, "/v1/jobs/\(id)/cancel", bearer: tenant.memberKey).0 == .ok)
                // Delivered live, then the stream ends (the last chunk of a chunked body).
                return try await reader.read { $0.contains(#""status":"cancelled""#) && $0.hasSuffix("0\r\n\r\n") }
            }
            let events = SSEEvent.parse(String(text[text.range(of: "\r\n\r\n")!.upperBound...]))
            #expect(events.map { $0.json["status"] as? String } == ["queued", "running", "cancelled"])
        }
    }

    static func waitForStatus(
        _ client: any TestClientProtocol,
        id: String,
        key: String,
        _ done: (String) -> Bool
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let (_, _, body) = try await client.send(.get, "/v1/jobs/\(id)", bearer: key)
            let job = data(body)
            if let status = job["status"] as? String, done(status) { return job }
            guard ContinuousClock.now < deadline else { throw JobWaitTimeout(last: job["status"] as? String) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func events(_ client: any TestClientProtocol, id: String, key: String, after: String? = nil) async throws -> [SSEEvent] {
        var headers: HTTPFields = [.authorization: "Bearer \(key)"]
        if let after { headers[HTTPField.Name("Last-Event-ID")!] = after }
        return try await client.execute(uri: "/v1/jobs/\(id)/events", method: .get, headers: headers) { response in
            #expect(response.status == .ok && response.headers[.contentType] == "text/event-stream")
            return SSEEvent.parse(String(buffer: response.body))
        }
    }
}

struct JobWaitTimeout: Error {
    let last: String?
}
