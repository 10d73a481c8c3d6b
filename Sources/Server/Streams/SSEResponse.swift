internal import AsyncAlgorithms
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A `text/event-stream` response whose events `produce` writes as they come, straight to the
/// connection: a client that reads slowly slows the producer down (NIO's back pressure)
/// instead of growing a buffer. Not enveloped (docs/API.md §1): errors found before the stream
/// starts are ordinary envelope errors, errors after it are `error` events. Every stream holds
/// a `StreamPermit` of its principal's, given back when the stream ends, which is also when
/// its client leaves (`ClientDepartureWatcher`), not at the next write that fails.
enum SSEResponse {
    static func make(
        holding permit: StreamPermit,
        on connection: any Channel,
        _ produce: @escaping @Sendable (EventStreamWriter) async throws -> Void
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                defer {
                    connection.triggerUserOutboundEvent(EventStreamMark.ended, promise: nil)
                    permit.release()
                }
                let chunks = AsyncChannel<ByteBuffer>()
                // The chunks end when the producer does or when the client leaves.
                connection.triggerUserOutboundEvent(EventStreamMark.started { chunks.finish() }, promise: nil)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer { chunks.finish() }
                        try await produce(EventStreamWriter(chunks: chunks))
                    }
                    for await chunk in chunks { try await writer.write(chunk) }
                    // A producer still at work here is writing to a client that has left.
                    group.cancelAll()
                    try await group.waitForAll()
                }
                try await writer.finish(nil)
            }
        )
    }
}
