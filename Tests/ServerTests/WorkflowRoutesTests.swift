import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Server

/// `/v1/workflow-definitions` and `/v1/workflow-runs` (docs/API.md §5) on a live server: validated
/// definitions, runs created with `Idempotency-Key`, started once, executed, streamed,
/// cancelled, and who may do what.
@Suite struct WorkflowRoutesTests {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    @Test func definitionsAreValidatedWithFieldPaths() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let organization = tenant.organization
            let cases: [(String, String)] = [
                (#"{"organization_id": "\#(organization)", "name": "w"}"#, "nodes: is required"),
                (#"{"organization_id": "\#(organization)", "name": "w", "nodes": {}}"#, "nodes: must be a list, not an object"),
                (
                    #"{"organization_id": "\#(organization)", "name": "w", "nodes": [{"id": "a", "provider": "echo", "input": {"text": "x"}, "x": 1}]}"#,
                    "nodes[0].x: is not a known field"
                ),
                (
                    #"{"organization_id": "\#(organization)", "name": "w", "nodes": [{"id": "a", "provider": "echo", "input": {"text": "x"}}, {"id": "a", "provider": "echo", "input": {"text": "y"}}]}"#,
                    "nodes[1].id: 'a' is used twice"
                ),
                (
                    #"{"organization_id": "\#(organization)", "name": "w", "nodes": [{"id": "a", "provider": "fly", "input": {}}]}"#,
                    "nodes[0].provider: unknown provider 'fly'"
                ),
                (
                    #"{"organization_id": "\#(organization)", "name": "w", "nodes": [{"id": "a", "provider": "echo", "input": {"text": "x"}, "depends_on": ["b"]}, {"id": "b", "provider": "echo", "input": {"text": "x"}, "depends_on": ["a"]}]}"#,
                    "nodes: the dependencies form a cycle: a → b → a"
                ),
                (
                    #"{"organization_id": "\#(organization)", "name": "w", "nodes": [{"id": "a", "provider": "echo", "input": {"text": 1}}]}"#,
                    "nodes[0].input.text: must be a string"
                ),
            ]
            for (json, detail) in cases {
                let (status, _, body) = try await client.send(.post, "/v1/workflow-definitions", bearer: app.adminKey, json: json)
                #expect(status == .badRequest && details(body) == [detail], "\(json)")
            }
            let many = (0...100).map { #"{"id": "n\#($0)", "provider": "echo", "input": {"text": "x"}}"# }.joined(separator: ",")
            let (tooMany, _, tooManyBody) = try await client.send(
                .post,
                "/v1/workflow-definitions",
                bearer: app.adminKey,
                json: #"{"organization_id": "\#(organization)", "name": "w", "nodes": [\#(many)]}"#
            )
            #expect(tooMany == .badRequest && details(tooManyBody) == ["nodes: must hold 1 to 100 nodes"])
            // workflow.create is an admin's; another tenant's organization is not found.
            let good = #"{"organization_id": "\#(organization)", "name": "w", "nodes": [{"id": "a", "provider": "echo", "input": {"text": "x"}}]}"#
            #expect(try await client.send(.post, "/v1/workflow-definitions", bearer: tenant.memberKey, json: good).0 == .forbidden)
            #expect(try await client.send(.post, "/v1/workflow-definitions", bearer: tenant.outsiderKey, json: good).0 == .notFound)
            let (created, _, body) = try await client.send(.post, "/v1/workflow-definitions", bearer: app.adminKey, json: good)
            #expect(created == .created)
            let id = try #require(data(body)["id"] as? String)
            let nodes = try #require(data(body)["nodes"] as? [[String: Any]])
            #expect(nodes.count == 1 && nodes[0]["depends_on"] as? [String] == [])
            // Readable by viewers, listed for them; invisible to another tenant.
            #expect(try await client.send(.get, "/v1/workflow-definitions/\(id)", bearer: tenant.viewerKey).0 == .ok)
            #expect(try await client.send(.get, "/v1/workflow-definitions/\(id)", bearer: tenant.outsiderKey).0 == .notFound)
            let (_, _, list) = try await client.send(.get, "/v1/workflow-definitions?organization_id=\(organization)", bearer: tenant.viewerKey)
            #expect((data(list)["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect(
                try await client.send(.get, "/v1/workflow-definitions?organization_id=\(organization)", bearer: tenant.outsiderKey).0 == .notFound
            )
        }
    }

    @Test func aRunIsCreatedStartedAndStreamed() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let definition = #"""
                {"organization_id": "\#(tenant.organization)", "name": "two steps", "nodes": [
                  {"id": "first", "provider": "echo", "input": {"text": "one"}},
                  {"id": "second", "provider": "echo", "input": {"text": "two"}, "depends_on": ["first"]}]}
                """#
            let (_, _, defined) = try await client.send(.post, "/v1/workflow-definitions", bearer: app.adminKey, json: definition)
            let definitionID = try #require(data(defined)["id"] as? String)
            let body = #"{"definition_id": "\#(definitionID)", "team_id": "\#(tenant.team)", "input": {"second": {"text": "changed"}}}"#
            // A viewer may not create runs; a member may, once per Idempotency-Key.
            #expect(try await client.send(.post, "/v1/workflow-runs", bearer: tenant.viewerKey, json: body).0 == .forbidden)
            #expect(try await client.send(.post, "/v1/workflow-runs", bearer: tenant.outsiderKey, json: body).0 == .notFound)
            let (status, _, created) = try await client.send(
                .post,
                "/v1/workflow-runs",
                bearer: tenant.memberKey,
                json: body,
                headers: [Self.idempotencyKey: "run-1"]
            )
            #expect(status == .created && data(created)["status"] as? String == "created")
            let id = try #require(data(created)["id"] as? String)
            let (_, replayHeaders, replay) = try await client.send(
                .post,
                "/v1/workflow-runs",
                bearer: tenant.memberKey,
                json: body,
                headers: [Self.idempotencyKey: "run-1"]
            )
            #expect(data(replay)["id"] as? String == id && replayHeaders[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let (conflict, _, conflictBody) = try await client.send(
                .post,
                "/v1/workflow-runs",
                bearer: tenant.memberKey,
                json: body.replacingOccurrences(of: "changed", with: "other"),
                headers: [Self.idempotencyKey: "run-1"]
            )
            #expect(conflict == .conflict && errorCode(conflictBody) == "idempotency_conflict")

            // Viewers may read but not start it; the member starts it, once.
            #expect(try await client.send(.post, "/v1/workflow-runs/\(id)/start", bearer: tenant.viewerKey).0 == .forbidden)
            let (started, _, startedBody) = try await client.send(.post, "/v1/workflow-runs/\(id)/start", bearer: tenant.memberKey)
            #expect(started == .ok && ["queued", "running", "succeeded"].contains(data(startedBody)["status"] as? String))
            let (again, _, againBody) = try await client.send(.post, "/v1/workflow-runs/\(id)/start", bearer: tenant.memberKey)
            #expect(again == .conflict && errorCode(againBody) == "conflict")

            let deadline = ContinuousClock.now + .seconds(10)
            var run: [String: Any] = [:]
            while ContinuousClock.now < deadline {
                run = data(try await client.send(.get, "/v1/workflow-runs/\(id)", bearer: tenant.viewerKey).2)
                if run["status"] as? String == "succeeded" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(run["status"] as? String == "succeeded")
            let second = (run["nodes"] as? [String: Any])?["second"] as? [String: Any]
            #expect((second?["output"] as? [String: Any])?["text"] as? String == "changed")
            #expect(try await client.send(.get, "/v1/workflow-runs/\(id)", bearer: tenant.outsiderKey).0 == .notFound)

            // The stream replays everything and ends with the run.
            let events = try await client.execute(
                uri: "/v1/workflow-runs/\(id)/events",
                method: .get,
                headers: [.authorization: "Bearer \(tenant.viewerKey)"]
            ) {
                SSEEvent.parse(String(buffer: $0.body))
            }
            #expect(events.first?.json["status"] as? String == "created" && events.last?.json["status"] as? String == "succeeded")
            #expect(
                events.filter { $0.event == "node" }.map { "\($0.json["node"] ?? "") \($0.json["status"] ?? "")" } == [
                    "first running", "first succeeded", "second running", "second succeeded",
                ]
            )
            #expect(events.map(\.id) == (1...events.count).map { String($0) })
            // A finished run cannot be cancelled.
            #expect(try await client.send(.post, "/v1/workflow-runs/\(id)/cancel", bearer: tenant.memberKey).0 == .conflict)
            // Its usage is the organization's, tied to the run.
            let (_, _, usage) = try await client.send(.get, "/v1/organizations/\(tenant.organization)/usage/records", bearer: app.adminKey)
            #expect((data(usage)["items"] as? [[String: Any]])?.map { $0["run_id"] as? String } == [id, id])
        }
    }
}
