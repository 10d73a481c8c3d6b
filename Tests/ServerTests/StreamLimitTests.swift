import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Identity
import JSON
import Logging
import NIOCore
import Testing

@testable import Server

/// Open event streams are limited per principal (`--streams-per-principal`): the next one is
/// 429 `rate_limited` before it starts, on every streaming route, and a place comes back when
/// a stream ends.
@Suite struct StreamLimitTests {
    @Test func permitsCountPerPrincipalAndComeBackOnce() {
        let limiter = StreamLimiter(perPrincipal: 2)
        func caller() -> Authentication {
            let id = UUID()
            let principal = Principal(id: id, kind: .user, email: nil, name: nil, externalSubject: nil, isPlatformAdmin: false, createdAt: Date())
            return Authentication(principal: principal, keyID: UUID(), scopes: nil)
        }
        let ada = caller()
        let bob = caller()
        let first = limiter.take(for: ada)
        var second = limiter.take(for: ada)
        #expect(first != nil && second != nil && limiter.take(for: ada) == nil)
        #expect(limiter.take(for: bob) != nil)
        first?.release()
        first?.release()
        #expect(limiter.openStreams(of: ada.principal.id) == 1)
        // A permit dropped without being released (a response whose body never ran) gives
        // its place back too.
        second = nil
        #expect(limiter.openStreams(of: ada.principal.id) == 0 && second == nil)
        #expect(limiter.take(for: ada) != nil)
    }

    /// A stream lives no longer than its credential: revoking or disabling its key, or
    /// removing its principal from an organization, ends it with an `error` event and gives
    /// its place back; the streams of other keys go on.
    @Test(arguments: ["revoke", "disable", "remove"])
    func streamsEndWithTheirCredential(_ change: String) async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let port = try #require(client.port)
            let (_, _, created) = try await client.send(.post, "/v1/api-keys", bearer: tenant.memberKey, json: #"{"name": "streamer"}"#)
            let key = try #require(data(created)["key"] as? String)
            let keyID = try #require(data(created)["id"] as? String)
            let text = try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: ["Authorization": "Bearer \(key)"]) { stream in
                try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: ["Authorization": "Bearer \(app.adminKey)"]) { other in
                    _ = try await stream.read { $0.contains(": subscribed") }
                    _ = try await other.read { $0.contains(": subscribed") }
                    switch change {
                    case "revoke": #expect(try await client.send(.delete, "/v1/api-keys/\(keyID)", bearer: tenant.memberKey).0 == .ok)
                    case "disable": #expect(try await client.send(.post, "/v1/api-keys/\(keyID)/disable", bearer: tenant.memberKey).0 == .ok)
                    default:
                        let path = "/v1/organizations/\(tenant.organization)/members/\(tenant.memberID)"
                        #expect(try await client.send(.delete, path, bearer: app.adminKey).0 == .ok)
                    }
                    // The server ends the response: its last chunk arrives, well before the test's 20 s.
                    let text = try await stream.read { $0.hasSuffix("\r\n0\r\n\r\n") }
                    // The admin's own stream is still open and sees later events.
                    let after = try await app.service.createTeam(organization: tenant.organization, name: "after").0.id
                    _ = try await other.read { $0.contains(after.text) }
                    return text
                }
            }
            #expect(text.contains("event: error") && text.contains(#""code":"unauthorized""#), "\(text)")
            #expect(try await client.send(.get, "/v1/me", bearer: key).0 == (change == "remove" ? .ok : .unauthorized))
        }
    }

    @Test func theNextStreamIsRefusedUntilOneEnds() async throws {
        try await AuthenticatedApplication.withApplication(limits: RateLimits(streamsPerPrincipal: 2), live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let port = try #require(client.port)
            let member = ["Authorization": "Bearer \(tenant.memberKey)"]
            try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: member) { first in
                _ = try await first.read { $0.contains(": subscribed") }
                try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: member) { second in
                    _ = try await second.read { $0.contains(": subscribed") }
                    // The third, on each streaming route.
                    let (status, headers, body) = try await client.send(.get, "/v1/events/stream", bearer: tenant.memberKey)
                    #expect(status == .tooManyRequests && errorCode(body) == "rate_limited")
                    #expect(headers[.retryAfter] == "1" && headers[HTTPField.Name("RateLimit-Limit")!] == "2")
                    let execute = try await client.send(
                        .post,
                        "/v1/providers/execute/stream",
                        bearer: tenant.memberKey,
                        json: #"{"organization_id": "\#(tenant.organization)", "provider": "echo", "input": {"text": "hi"}}"#
                    )
                    #expect(execute.0 == .tooManyRequests && errorCode(execute.2) == "rate_limited")
                    let (socket, _, socketBody) = try await client.send(.get, "/v1/events/ws", bearer: tenant.memberKey)
                    #expect(socket == .tooManyRequests && errorCode(socketBody) == "rate_limited")
                    var configuration = WebSocketClientConfiguration()
                    configuration.additionalHeaders = [.authorization: "Bearer \(tenant.memberKey)"]
                    await #expect(throws: (any Error).self) {
                        _ = try await WebSocketClient.connect(
                            url: "ws://127.0.0.1:\(port)/v1/events/ws",
                            configuration: configuration,
                            logger: Logger(label: "ws")
                        ) { _, _, _ in }
                    }
                    // A real upgrade request at the cap is told so too: 429, the envelope, when to retry.
                    let upgrade = try await ConnectionLimitTests.RawConnection(port: port).exchange(
                        "GET /v1/events/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(tenant.memberKey)\r\nConnection: Upgrade\r\n"
                            + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                        within: .seconds(5)
                    )
                    #expect(upgrade.text.hasPrefix("HTTP/1.1 429 Too Many Requests\r\n"), "\(upgrade.text)")
                    #expect(upgrade.text.contains("Retry-After: 1") && upgrade.text.contains(#""code":"rate_limited""#), "\(upgrade.text)")
                    // A refused credential likewise: 401 in the envelope, not a bare 400.
                    let refused = try await ConnectionLimitTests.RawConnection(port: port).exchange(
                        "GET /v1/events/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer azk_nope\r\nConnection: Upgrade\r\n"
                            + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                        within: .seconds(5)
                    )
                    #expect(
                        refused.text.hasPrefix("HTTP/1.1 401 Unauthorized\r\n") && refused.text.contains(#""code":"unauthorized""#),
                        "\(refused.text)"
                    )
                    // Another principal has places of its own.
                    try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: ["Authorization": "Bearer \(app.adminKey)"]) {
                        admin in
                        _ = try await admin.read { $0.contains(": subscribed") }
                    }
                }
            }
            // Both streams closed by the client: the server notices, and gives the places back
            // (`aClientThatLeavesGivesItsPlaceBackAtOnce` shows how soon).
            var opened = false
            for attempt in 0..<100 where !opened {
                _ = try await app.service.createTeam(organization: tenant.organization, name: "wake \(attempt)")
                opened = try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: member) { reader in
                    try await reader.read { $0.contains(": subscribed") || $0.contains("rate_limited") }.contains(": subscribed")
                }
                if !opened { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(opened)
        }
    }

    /// A client that leaves gives its place back at once, on every streaming route: not at the
    /// next event or keep-alive (15 s) that fails to be written.
    @Test(arguments: ["/v1/events/stream", "job"])
    func aClientThatLeavesGivesItsPlaceBackAtOnce(_ route: String) async throws {
        try await AuthenticatedApplication.withApplication(limits: RateLimits(streamsPerPrincipal: 1), live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let port = try #require(client.port)
            let member = ["Authorization": "Bearer \(tenant.memberKey)"]
            var path = route
            var started: @Sendable (String) -> Bool = { $0.contains(": subscribed") }
            if route == "job" {
                // A job that runs for a while, so its event stream stays open.
                let (status, _, created) = try await client.send(
                    .post,
                    "/v1/jobs",
                    bearer: tenant.memberKey,
                    json: #"{"organization_id": "\#(tenant.organization)", "provider": "sleep", "input": {"milliseconds": 30000}}"#
                )
                #expect((200..<300).contains(status.code), "\(created)")
                path = "/v1/jobs/\(try #require(data(created)["id"] as? String))/events"
                started = { $0.hasPrefix("HTTP/1.1 200") && $0.contains("\r\n\r\n") }
            }
            // With one place, each stream can open only once the last has given its place
            // back: within 2 s of its client leaving, well before any keep-alive is due.
            for round in 0..<3 {
                var opened = ""
                for _ in 0..<40 where !started(opened) {
                    opened = try await RawEventStream.with(port: port, path: path, headers: member) { stream in
                        try await stream.read { started($0) || $0.contains("rate_limited") }
                    }
                    if !started(opened) { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(started(opened), "round \(round): \(opened)")
            }
        }
    }
}
