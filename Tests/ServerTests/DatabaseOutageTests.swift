import APIKeys
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Stores
import Testing

@testable import Server

/// PostgreSQL taken away from a running replica (through `TCPProxy`): checks go on answering
/// from the snapshot, with the same decisions; writes and store reads answer 503
/// `unavailable` within the connection wait instead of hanging until PostgresNIO's circuit
/// breaker opens; `/readyz` says not ready; and when the database is back, writes succeed
/// again and their changes reach the checks.
@Suite struct DatabaseOutageTests {
    @Test(.enabled(if: ReplicaRevocationTests.serverURL != nil), .timeLimit(.minutes(2)))
    func checksOutliveTheDatabaseAndWritesFailFast() async throws {
        try await ReplicaSet.with { replicas in
            let proxy = try await TCPProxy.start(to: replicas.host, port: replicas.port)
            defer { proxy.stop() }
            let service = try await replicas.replica(through: proxy, connectionWait: .seconds(1))
            let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
            let bootstrap = try #require(try await service.bootstrap(configuredKey: nil, hasher: hasher))
            let admin = try #require(bootstrap.generated)
            let application = Application(router: buildRouter(service: service, hasher: hasher).0)
            try await application.test(.router) { client in
                let (_, _, created) = try await client.send(.post, "/v1/organizations", bearer: admin, json: #"{"name": "Outage"}"#)
                let organization = try #require(data(created)["id"] as? String)
                let check = #"{"permission": "team.create", "resource": {"type": "organization", "id": "\#(organization)"}}"#
                #expect(try await client.send(.get, "/v1/me", bearer: admin).0 == .ok)  // the key verified and cached
                let unused = try await service.createAPIKey(
                    name: "unused",
                    organization: nil,
                    role: nil,
                    scopes: nil,
                    expiresAt: nil,
                    actor: bootstrap.principal.id,
                    hasher: hasher
                ).0.key

                proxy.cut()
                let (status, _, answer) = try await client.send(.post, "/v1/authz/check", bearer: admin, json: check)
                #expect(status == .ok && data(answer)["allowed"] as? Bool == true)
                let started = ContinuousClock.now
                let (write, _, refused) = try await client.send(
                    .post,
                    "/v1/teams",
                    bearer: admin,
                    json: #"{"organization_id": "\#(organization)", "name": "down"}"#
                )
                let waited = ContinuousClock.now - started
                #expect(write == .serviceUnavailable && errorCode(refused) == "unavailable")
                #expect(waited < .seconds(4), "a write waited \(waited) for the database")
                #expect(try await client.execute(uri: "/readyz", method: .get) { $0.status } == .serviceUnavailable)
                // A key not verified before cannot be looked up: 503, not a 401 that would make
                // a client drop a good credential.
                let (uncached, _, uncachedBody) = try await client.send(.get, "/v1/me", bearer: unused)
                #expect(uncached == .serviceUnavailable && errorCode(uncachedBody) == "unavailable")
                #expect(try await client.send(.post, "/v1/authz/check", bearer: admin, json: check).0 == .ok)

                proxy.restore()
                var team: String?
                let back = ContinuousClock.now
                while team == nil, ContinuousClock.now - back < .seconds(60) {
                    let (status, _, body) = try await client.send(
                        .post,
                        "/v1/teams",
                        bearer: admin,
                        json: #"{"organization_id": "\#(organization)", "name": "up"}"#
                    )
                    if status == .created { team = data(body)["id"] as? String } else { try await Task.sleep(for: .milliseconds(100)) }
                }
                let id = try #require(team, "no write succeeded within 60 s of the database's return")
                let teamCheck = #"{"permission": "team.update", "resource": {"type": "team", "id": "\#(id)"}}"#
                let (after, _, allowed) = try await client.send(.post, "/v1/authz/check", bearer: admin, json: teamCheck)
                #expect(after == .ok && data(allowed)["allowed"] as? Bool == true)
                #expect(try await client.execute(uri: "/readyz", method: .get) { $0.status } == .ok)
            }
        }
    }
}
