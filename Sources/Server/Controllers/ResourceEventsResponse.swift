import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import NIOCore
internal import Workloads

/// The event stream of one job or workflow run (`GET .../events`): its events from the start
/// (or after `Last-Event-ID`), then live until it has ended. Each event is read from the
/// store, so a slow reader only delays its own reads; the live feed only says when to look.
enum ResourceEventsResponse {
    /// `Last-Event-ID` as the number of the last event seen (0 without one).
    static func after(_ request: Request) throws -> Int64 {
        guard let text = ServerSentEvent.lastEventID(request) else { return 0 }
        guard let sequence = Int64(text), sequence >= 0 else {
            throw APIError.validation([FieldError(field: "Last-Event-ID", message: "must be the id of an event of this stream")])
        }
        return sequence
    }

    static func make(
        holding permit: StreamPermit,
        on connection: any Channel,
        feed: ChangeFeed,
        after: Int64,
        read: @escaping @Sendable (_ after: Int64) async throws -> [ResourceEvent],
        hasEnded: @escaping @Sendable () async throws -> Bool,
        concerns: @escaping @Sendable (ChangeLogEntry) -> Bool
    ) -> Response {
        SSEResponse.make(holding: permit, on: connection) { writer in
            let subscription = feed.subscribe(buffer: 64, holder: permit.holder)
            defer { subscription.cancel() }
            try await subscription.untilShutdown {
                var last = after
                var ended = false
                var updates = subscription.items.makeAsyncIterator()
                while true {
                    let events = try await read(last)
                    for event in events {
                        try await writer.write(ServerSentEvent(id: String(event.sequence), event: event.type, data: event.data).buffer)
                        last = event.sequence
                    }
                    if !events.isEmpty { continue }
                    if ended { return }
                    // An ended stream closes once what its last transaction wrote is read too.
                    if try await hasEnded() {
                        ended = true
                        continue
                    }
                    // Wait for a change of this resource (or a heartbeat); a dropped
                    // subscription ends the stream, and the client resumes with Last-Event-ID.
                    waiting: while true {
                        switch await updates.next() {
                        case nil: return
                        case .credentialEnded?:
                            try await writer.write(ServerSentEvent(event: "error", data: ServerSentEvent.credentialEnded).buffer)
                            return
                        case .heartbeat?: try await writer.write(ServerSentEvent.keepAlive)
                        case .record(let record)?: if record.entries.contains(where: concerns) { break waiting }
                        }
                    }
                }
            }
        }
    }
}
