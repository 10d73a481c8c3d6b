import Foundation
internal import Hummingbird
internal import HummingbirdWebSocket
internal import Identity
import JSON
internal import NIOCore
internal import NIOWebSocket

/// `/v1/events/stream` (Server-Sent Events, resumable with `Last-Event-ID`) and
/// `/v1/events/ws` (the same events as WebSocket text messages, resumable with
/// `?last_event_id=`). A subscriber receives the events of the organizations where it holds
/// `event.read`, checked as each event is delivered.
struct EventsController {
    let service: IdentityService
    let feed: ChangeFeed
    let streams: StreamLimiter
    /// How many records a subscriber may fall behind before it is dropped.
    let buffer: Int

    var stream: ChangeEventStream { ChangeEventStream(service: self.service, feed: self.feed, buffer: self.buffer) }

    static func cursor(_ request: Request) throws -> EventCursor? {
        guard let text = ServerSentEvent.lastEventID(request) else { return nil }
        guard let cursor = EventCursor(id: text) else {
            throw APIError.validation([FieldError(field: "Last-Event-ID", message: "must be the id of an event this stream sent")])
        }
        return cursor
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/v1/events/stream") { request, context in
            let caller = try context.caller()
            let cursor = try Self.cursor(request)
            let stream = self.stream
            return SSEResponse.make(holding: try self.streams.permit(for: caller, context), on: context.channel) { writer in
                let end = try await stream.run(
                    for: caller,
                    after: cursor,
                    ready: { _ in try await writer.write(ServerSentEvent.subscribed) },
                    send: { event, cursor in try await writer.write(ServerSentEvent(id: cursor.id, data: event.json).buffer) },
                    keepAlive: { try await writer.write(ServerSentEvent.keepAlive) }
                )
                switch end {
                case .tooSlow: try await writer.write(ServerSentEvent(event: "error", data: ServerSentEvent.tooSlow).buffer)
                case .credentialEnded: try await writer.write(ServerSentEvent(event: "error", data: ServerSentEvent.credentialEnded).buffer)
                case .closed: break
                }
            }
        }
        routes.webSocket(
            "/v1/events/ws",
            shouldUpgrade: { request, context in
                let caller = try context.caller()
                _ = try Self.cursor(request)
                // Refused before the upgrade while the caller's streams are all taken; the
                // place itself is taken once the socket is open (below).
                try self.streams.permit(for: caller, context).release()
                guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                    throw APIError(.upgradeRequired, code: "upgrade_required", message: "this route speaks WebSocket")
                }
            },
            onUpgrade: { inbound, outbound, context in
                guard let caller = context.requestContext.authentication else { return }
                // Another stream of the caller's may have opened since the upgrade was allowed.
                guard let permit = try? self.streams.permit(for: caller, context.requestContext) else {
                    try await outbound.close(.policyViolation, reason: "too many event streams open for this principal")
                    return
                }
                defer { permit.release() }
                let cursor = try? Self.cursor(context.request)
                let stream = self.stream
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The client's frames are read (and ignored) so its close is noticed.
                    group.addTask {
                        for try await _ in inbound.messages(maxSize: 1 << 16) {}
                    }
                    group.addTask {
                        let end = try await stream.run(
                            for: caller,
                            after: cursor,
                            send: { event, _ in try await outbound.write(.text(event.json)) },
                            keepAlive: {}  // the server pings idle WebSockets itself
                        )
                        switch end {
                        case .tooSlow: try await outbound.close(.policyViolation, reason: "too slow: the subscriber fell too far behind")
                        case .credentialEnded: try await outbound.close(.policyViolation, reason: "the credential no longer holds")
                        case .closed: break
                        }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        )
    }
}
