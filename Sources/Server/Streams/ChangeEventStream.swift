internal import Authz
import Foundation
internal import Identity
internal import ServiceLifecycle

/// The organization-wide event stream behind `/v1/events/stream` and `/v1/events/ws`: replays
/// the change log after the client's cursor, then follows the live feed, delivering each entry
/// only if the subscriber held `event.read` on its organization when the entry was written and
/// still holds it now — so a member removed mid-stream stops receiving that organization's
/// events with the removal itself, and one added later does not receive what came before.
struct ChangeEventStream: Sendable {
    enum End: Sendable {
        /// The subscriber fell too far behind and was dropped.
        case tooSlow
        /// The server is shutting down, or the subscriber's task was cancelled.
        case closed
        /// The subscriber's key was revoked or disabled, or it left an organization.
        case credentialEnded
    }

    let service: IdentityService
    let feed: ChangeFeed
    let buffer: Int

    /// `ready` is called once the subscription is in place (nothing after the cursor it is given
    /// is missed);
    /// `send` writes one event; `keepAlive` writes a heartbeat. The last two suspend while the
    /// client is slow to read, which is what fills the buffer of a slow subscriber.
    func run(
        for subscriber: Authentication,
        after cursor: EventCursor?,
        ready: (EventCursor) async throws -> Void = { _ in },
        send: (ChangeEvent, EventCursor) async throws -> Void,
        keepAlive: () async throws -> Void
    ) async throws -> End {
        let subscription = self.feed.subscribe(buffer: self.buffer, holder: subscriber)
        defer { subscription.cancel() }
        // Without a cursor the stream starts now: after what this replica has applied.
        var last = cursor ?? EventCursor(revision: self.service.snapshot.revision, index: .max)
        try await ready(last)
        if cursor != nil {
            while true {
                let after = last.index == .max || last.revision == 0 ? last.revision : last.revision - 1
                let records = try await self.service.store.changes(after: after, limit: 200)
                guard let newest = records.last?.revision, newest > after else { break }
                for record in records { try await self.deliver(record, for: subscriber, after: &last, send: send) }
                if last.revision < newest { last = EventCursor(revision: newest, index: .max) }
            }
        }
        let ended = try await subscription.untilShutdown { () async throws -> Bool in
            for await item in subscription.items {
                switch item {
                case .record(let record): try await self.deliver(record, for: subscriber, after: &last, send: send)
                case .heartbeat: try await keepAlive()
                case .credentialEnded: return true
                }
            }
            return false
        }
        if ended { return .credentialEnded }
        return Task.isCancelled || Task.isShuttingDownGracefully ? .closed : .tooSlow
    }

    func deliver(
        _ record: ChangeRecord,
        for subscriber: Authentication,
        after last: inout EventCursor,
        send: (ChangeEvent, EventCursor) async throws -> Void
    ) async throws {
        let snapshot = self.service.snapshot
        // The snapshot the entry produced, while this replica still holds it (a replay of old
        // history is judged by today's alone).
        let written = self.service.follower.live.snapshot(at: record.revision)
        guard let permission = snapshot.policy.permission(named: "event.read") else { return }
        for (index, entry) in record.entries.enumerated() {
            let cursor = EventCursor(revision: record.revision, index: index)
            guard cursor > last else { continue }
            last = cursor
            guard let organization = entry.organizationID else { continue }
            let request = CheckRequest(
                subject: subscriber.principal.id,
                permission: permission,
                resource: .stored(type: snapshot.policy.organizationType, id: organization),
                scopes: subscriber.scopes
            )
            guard snapshot.check(request).allowed, written?.check(request).allowed ?? true else { continue }
            try await send(ChangeEvent(entry, organization: organization, cursor: cursor, at: record.createdAt), cursor)
        }
        // Every entry of the record has been seen, delivered or not.
        last = EventCursor(revision: record.revision, index: .max)
    }
}
