internal import AsyncAlgorithms
internal import NIOCore

/// What an event stream's producer writes to. Each chunk is handed to the loop that writes it
/// to the connection, one at a time, so a producer still waits for a client that reads slowly
/// (the change feed's drop of a slow subscriber depends on it), while running in a task of
/// its own that the client's departure can cancel.
struct EventStreamWriter: Sendable {
    let chunks: AsyncChannel<ByteBuffer>

    func write(_ buffer: ByteBuffer) async throws {
        await self.chunks.send(buffer)
        try Task.checkCancellation()
    }
}
