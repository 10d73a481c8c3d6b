internal import GRPCCore

/// The request parts of one call, as GRPCCore reads them (`RPCAsyncSequence`).
struct GRPCInboundSequence: AsyncSequence, Sendable {
    typealias Element = RPCRequestPart<GRPCBytes>
    typealias Failure = any Error

    let buffer: GRPCInboundBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        typealias Element = RPCRequestPart<GRPCBytes>
        typealias Failure = any Error

        let buffer: GRPCInboundBuffer

        mutating func next() async throws -> RPCRequestPart<GRPCBytes>? {
            try await self.buffer.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(buffer: self.buffer)
    }
}
