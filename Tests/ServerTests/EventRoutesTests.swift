import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSClient
import Identity
import JSON
import Logging
import NIOCore
import Synchronization
import Testing

@testable import Server

/// `/v1/events/stream` and `/v1/events/ws` (docs/API.md §5) read by real clients: only the
/// organizations where the subscriber holds `event.read`, a removal mid-stream stopping that
/// organization's events, resumption with `Last-Event-ID` without gaps, and slow consumers
/// dropped rather than buffered.
@Suite struct EventRoutesTests {
    @Test func aSubscriberSeesItsOrganizationsOnlyAndStopsWhenRemoved() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let tenant = try await Tenant.make(app)
            let service = app.service
            let port = try #require(client.port)
            let text = try await RawEventStream.with(port: port, path: "/v1/events/stream", headers: ["Authorization": "Bearer \(tenant.memberKey)"])
            { reader in
                _ = try await reader.read { $0.contains(": subscribed") }
                let first = try await service.createTeam(organization: tenant.organization, name: "first").0.id
                let elsewhere = try await service.createTeam(organization: tenant.other, name: "elsewhere").0.id
                let second = try await service.createTeam(organization: tenant.organization, name: "second").0.id
                var text = try await reader.read { $0.contains(second.text) }
                #expect(text.contains(first.text) && !text.contains(elsewhere.text))
                // Removed from one of its two organizations: that one's later events stop at once.
                // A marker event in the other shows the stream went on without them. (Removed
                // from its last, the stream ends: StreamLimitTests.)
                let third = try await service.createOrganization(
                    name: "Third",
                    slug: "third-\(UUID().uuidString.prefix(8).lowercased())",
                    creator: app.adminID
                ).0.id
                _ = try await service.addMember(organization: third, principal: tenant.memberID, role: "viewer", actor: app.adminID)
                _ = try await service.removeMember(organization: tenant.organization, principal: tenant.memberID, actor: app.adminID)
                let unseen = try await service.createTeam(organization: tenant.organization, name: "unseen").0.id
                let marker = try await service.createTeam(organization: third, name: "marker").0.id
                text = try await reader.read { $0.contains(marker.text) }
                #expect(!text.contains(unseen.text))
                return text
            }
            let events = SSEEvent.parse(String(text[text.range(of: "\r\n\r\n")!.upperBound...]))
            #expect(events.map { $0.json["type"] as? String } == ["team.created", "team.created", "member.added", "team.created"])
            // Ids order the events and name them exactly.
            let ids = events.compactMap(\.id).compactMap(EventCursor.init(id:))
            #expect(ids.count == 4 && ids == ids.sorted() && Set(ids).count == 4)
            #expect(events.allSatisfy { $0.id == $0.json["id"] as? String })
            #expect(events[0].json["organization_id"] as? String == tenant.organization.text)
        }
    }

    @Test func lastEventIDResumesWithoutGaps() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let service = app.service
            let organization = try await service.createOrganization(name: "Resume", slug: "resume", creator: app.adminID).0.id
            var teams: [(UUID, UInt64)] = []
            for name in ["a", "b", "c"] {
                let (team, revision) = try await service.createTeam(organization: organization, name: name)
                teams.append((team.id, revision))
            }
            let port = try #require(client.port)
            for lastEventID in ["\(teams[0].1).0", "\(teams[0].1)"] {
                let text = try await RawEventStream.with(
                    port: port,
                    path: "/v1/events/stream",
                    headers: ["Authorization": "Bearer \(app.adminKey)", "Last-Event-ID": lastEventID]
                ) { reader in
                    try await reader.read { $0.contains(teams[2].0.text) }
                }
                let events = SSEEvent.parse(String(text[text.range(of: "\r\n\r\n")!.upperBound...]))
                #expect(events.map { ($0.json["target"] as? [String: Any])?["id"] as? String } == [teams[1].0.text, teams[2].0.text])
                #expect(events.map(\.id) == ["\(teams[1].1).0", "\(teams[2].1).0"])
            }
            // The query parameter works as the header does; a malformed id is refused.
            let (status, _, body) = try await client.send(.get, "/v1/events/stream?last_event_id=yesterday", bearer: app.adminKey)
            #expect(status == .badRequest && details(body) == ["Last-Event-ID: must be the id of an event this stream sent"])
            #expect(try await client.send(.get, "/v1/events/stream", bearer: "nope").0 == .unauthorized)
        }
    }

    @Test func theWebSocketCarriesTheSameEvents() async throws {
        try await AuthenticatedApplication.withApplication(live: true) { client, app in
            let service = app.service
            let organization = try await service.createOrganization(name: "Sockets", slug: "sockets", creator: app.adminID).0.id
            let (team, revision) = try await service.createTeam(organization: organization, name: "ws")
            let port = try #require(client.port)
            let received = ReceivedMessages()
            var configuration = WebSocketClientConfiguration()
            configuration.additionalHeaders = [.authorization: "Bearer \(app.adminKey)"]
            _ = try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/v1/events/ws?last_event_id=\(revision - 1)",
                configuration: configuration,
                logger: Logger(label: "ws")
            ) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message else { continue }
                    received.append(text)
                    if text.contains(team.id.text) { return }
                }
            }
            let message = try #require(received.all.last)
            let event = try #require(try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any])
            #expect(event["type"] as? String == "team.created" && event["id"] as? String == "\(revision).0")
            // Without a WebSocket upgrade the route says so; without a key, no upgrade.
            let (plain, _, body) = try await client.send(.get, "/v1/events/ws", bearer: app.adminKey)
            #expect(plain == .upgradeRequired && errorCode(body) == "upgrade_required")
            await #expect(throws: (any Error).self) {
                _ = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/v1/events/ws", logger: Logger(label: "ws")) { _, _, _ in }
            }
        }
    }

    /// A subscriber that stops reading is dropped once it is `buffer` records behind, and its
    /// stream says so: nothing is held for it beyond that.
    @Test func slowConsumersAreDropped() async throws {
        let feed = ChangeFeed()
        let subscription = feed.subscribe(buffer: 2)
        for revision in 1...5 {
            feed.publish(ChangeRecord(revision: UInt64(revision), entries: [], createdAt: Date()))
        }
        #expect(feed.subscriberCount == 0)
        var received: [UInt64] = []
        for await item in subscription.items {
            if case .record(let record) = item { received.append(record.revision) }
        }
        #expect(received == [1, 2])

        // Through the event stream: a consumer slower than the changes ends with `tooSlow`.
        try await AuthenticatedApplication.withApplication { _, app in
            let service = app.service
            let feed = ChangeFeed()
            service.follower.observe { feed.publish($0) }
            let organization = try await service.createOrganization(name: "Slow", slug: "slow", creator: app.adminID).0.id
            let stream = ChangeEventStream(service: service, feed: feed, buffer: 3)
            let admin = Authentication(principal: try #require(try await service.principal(app.adminID)), keyID: UUID(), scopes: nil)
            let end = try await stream.run(
                for: admin,
                after: nil,
                ready: { _ in
                    for index in 0..<10 { _ = try await service.createTeam(organization: organization, name: "t\(index)") }
                },
                send: { _, _ in try await Task.sleep(for: .milliseconds(50)) },
                keepAlive: {}
            )
            guard case .tooSlow = end else {
                Issue.record("expected the slow consumer to be dropped, got \(end)")
                return
            }
            #expect(feed.subscriberCount == 0)
        }
    }
}

final class ReceivedMessages: Sendable {
    private let messages = Mutex<[String]>([])
    func append(_ text: String) { self.messages.withLock { $0.append(text) } }
    var all: [String] { self.messages.withLock { $0 } }
}
