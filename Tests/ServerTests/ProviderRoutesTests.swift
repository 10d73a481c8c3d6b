import Foundation
import HTTPTypes
import HummingbirdTesting
import JSON
import NIOCore
import Testing

@testable import Server

/// `/v1/providers` (docs/API.md §5): the catalog, direct execution whole and streamed, estimates,
/// usage records written by every execution, and who may do what.
@Suite struct ProviderRoutesTests {
    @Test func catalogExecuteAndUsage() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let (status, _, list) = try await client.send(.get, "/v1/providers", bearer: tenant.viewerKey)
            #expect(status == .ok)
            let providers = try #require(data(list)["items"] as? [[String: Any]])
            #expect(providers.map { $0["name"] as? String } == ["echo", "sleep"])
            #expect(providers[0]["price_per_unit"] as? Int == 1 && providers[0]["unit"] as? String == "token")
            // Naming an organization checks the caller may use providers there.
            #expect(try await client.send(.get, "/v1/providers?organization_id=\(tenant.organization)", bearer: tenant.viewerKey).0 == .ok)
            #expect(try await client.send(.get, "/v1/providers?organization_id=\(tenant.organization)", bearer: tenant.outsiderKey).0 == .notFound)

            let body =
                #"{"organization_id": "\#(tenant.organization)", "team_id": "\#(tenant.team)", "provider": "echo", "input": {"text": "hello big world"}}"#
            let (executed, _, result) = try await client.send(.post, "/v1/providers/execute", bearer: tenant.memberKey, json: body)
            #expect(executed == .ok)
            #expect((data(result)["output"] as? [String: Any])?["text"] as? String == "hello big world")
            let usage = try #require(data(result)["usage"] as? [String: Any])
            #expect(usage["units"] as? Int == 3 && usage["cost"] as? Int == 3)

            // The usage record is the organization's, attributed to the member and the team.
            let (_, _, records) = try await client.send(.get, "/v1/organizations/\(tenant.organization)/usage/records", bearer: app.adminKey)
            let items = try #require(data(records)["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["id"] as? String == usage["record_id"] as? String)
            #expect(items[0]["principal_id"] as? String == tenant.memberID.text && items[0]["team_id"] as? String == tenant.team.text)
            #expect(items[0]["job_id"] is NSNull)
            // The execution's audit record names the provider in its data; it has no target
            // resource (a reference needs an id), so `target` is null.
            let (_, _, audit) = try await client.send(
                .get,
                "/v1/organizations/\(tenant.organization)/audit-logs?action=provider.executed",
                bearer: app.adminKey
            )
            let executions = try #require(data(audit)["items"] as? [[String: Any]])
            #expect(executions.count == 1 && executions.first?["target"] is NSNull, "\(executions)")
            #expect((executions.first?["data"] as? [String: Any])?["provider"] as? String == "echo")
            let (_, _, summary) = try await client.send(.get, "/v1/organizations/\(tenant.organization)/usage?group_by=team", bearer: app.adminKey)
            let groups = try #require(data(summary)["groups"] as? [[String: Any]])
            #expect(groups.map { $0["key"] as? String } == [tenant.team.text] && (data(summary)["total"] as? [String: Any])?["units"] as? Int == 3)
            // usage.read is for admins; another tenant sees nothing.
            #expect(try await client.send(.get, "/v1/organizations/\(tenant.organization)/usage", bearer: tenant.memberKey).0 == .forbidden)
            #expect(try await client.send(.get, "/v1/organizations/\(tenant.organization)/usage", bearer: tenant.outsiderKey).0 == .notFound)
            let (bad, _, badBody) = try await client.send(
                .get,
                "/v1/organizations/\(tenant.organization)/usage?group_by=week&from=yesterday",
                bearer: app.adminKey
            )
            #expect(bad == .badRequest && details(badBody) == ["from: must be an RFC 3339 timestamp, like 2026-03-19T12:00:00Z"])

            // Estimates need provider.read; executing needs provider.execute (a viewer has only the first).
            let (estimated, _, estimate) = try await client.send(
                .post,
                "/v1/providers/estimate",
                bearer: tenant.viewerKey,
                json: #"{"organization_id": "\#(tenant.organization)", "provider": "sleep", "input": {"milliseconds": 250}}"#
            )
            #expect(estimated == .ok && data(estimate)["units"] as? Int == 3 && data(estimate)["cost"] as? Int == 6)
            let (refused, _, refusal) = try await client.send(.post, "/v1/providers/execute", bearer: tenant.viewerKey, json: body)
            #expect(refused == .forbidden && errorCode(refusal) == "forbidden")
            #expect(try await client.send(.post, "/v1/providers/execute", bearer: tenant.outsiderKey, json: body).0 == .notFound)
        }
    }

    @Test func inputIsValidatedWithFieldPaths() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let organization = tenant.organization
            let cases: [(String, String)] = [
                (
                    #"{"organization_id": "\#(organization)", "provider": "nope", "input": {}}"#,
                    "provider: unknown provider 'nope'; GET /v1/providers lists them"
                ),
                (#"{"organization_id": "\#(organization)", "provider": "echo"}"#, "input: is required"),
                (#"{"organization_id": "\#(organization)", "provider": "echo", "input": []}"#, "input: must be an object, not a list"),
                (#"{"organization_id": "\#(organization)", "provider": "echo", "input": {"text": 3}}"#, "input.text: must be a string"),
                (
                    #"{"organization_id": "\#(organization)", "provider": "echo", "input": {"text": "a", "x": 1}}"#,
                    "input.x: is not a field of the echo provider"
                ),
                (
                    #"{"organization_id": "\#(organization)", "provider": "sleep", "input": {"milliseconds": 60001}}"#,
                    "input.milliseconds: must be a whole number from 0 to 60000"
                ),
                (#"{"organization_id": "\#(organization)", "provider": "echo", "input": {}, "extra": 1}"#, "extra: is not a known field"),
            ]
            for (json, detail) in cases {
                let (status, _, body) = try await client.send(.post, "/v1/providers/execute", bearer: tenant.memberKey, json: json)
                #expect(status == .badRequest && errorCode(body) == "validation_error", "\(json)")
                #expect(details(body) == [detail], "\(json)")
            }
            // A team of another organization is not found.
            let foreign = #"{"organization_id": "\#(tenant.other)", "team_id": "\#(tenant.team)", "provider": "echo", "input": {"text": "a"}}"#
            #expect(try await client.send(.post, "/v1/providers/execute", bearer: app.adminKey, json: foreign).0 == .notFound)
            // The provider's own failure is 502, with its message.
            let failing = #"{"organization_id": "\#(organization)", "provider": "sleep", "input": {"milliseconds": 0, "fail_with": "upstream down"}}"#
            let (failed, _, failure) = try await client.send(.post, "/v1/providers/execute", bearer: tenant.memberKey, json: failing)
            #expect(failed == .badGateway && errorCode(failure) == "provider_failed")
            #expect((failure["error"] as? [String: Any])?["message"] as? String == "upstream down")
        }
    }

    @Test func streamingSendsTokensThenUsage() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let headers: HTTPFields = [.authorization: "Bearer \(tenant.memberKey)", .contentType: "application/json"]
            let body = #"{"organization_id": "\#(tenant.organization)", "provider": "echo", "input": {"text": "one two three"}}"#
            let (status, type, events) = try await client.execute(
                uri: "/v1/providers/execute/stream",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body)
            ) { response in
                (response.status, response.headers[.contentType], SSEEvent.parse(String(buffer: response.body)))
            }
            #expect(status == .ok && type == "text/event-stream")
            #expect(events.map(\.event) == ["token", "token", "token", "usage"])
            #expect(events.prefix(3).map { $0.json["text"] as? String } == ["one", "two", "three"])
            #expect(events.last?.json["units"] as? Int == 3 && (events.last?.json["output"] as? [String: Any])?["text"] as? String == "one two three")
            // A failure after the stream started is an error event.
            let failing = #"{"organization_id": "\#(tenant.organization)", "provider": "sleep", "input": {"milliseconds": 100, "fail_with": "boom"}}"#
            let failed = try await client.execute(
                uri: "/v1/providers/execute/stream",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: failing)
            ) {
                SSEEvent.parse(String(buffer: $0.body))
            }
            #expect(failed.map(\.event) == ["token", "error"] && failed.last?.json["code"] as? String == "provider_failed")
            // Bad input is refused before the stream starts, in the envelope.
            let bad = #"{"organization_id": "\#(tenant.organization)", "provider": "echo", "input": {}}"#
            let refused = try await client.execute(
                uri: "/v1/providers/execute/stream",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: bad)
            ) {
                ($0.status, $0.headers[.contentType])
            }
            #expect(refused.0 == .badRequest && refused.1 == "application/json")
            // Only the successful stream left a usage record.
            let (_, _, records) = try await client.send(.get, "/v1/organizations/\(tenant.organization)/usage/records", bearer: app.adminKey)
            #expect((data(records)["items"] as? [[String: Any]])?.count == 1)
        }
    }
}
