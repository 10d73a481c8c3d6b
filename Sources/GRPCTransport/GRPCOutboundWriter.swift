internal import GRPCCore
internal import NIOCore

/// Where GRPCCore writes a call's answer. From the connection's loop (where the call's task
/// runs) a write goes straight to the stream and returns without suspending; from anywhere
/// else it hops there first.
struct GRPCOutboundWriter: ClosableRPCWriterProtocol {
    typealias Element = RPCResponsePart<GRPCBytes>

    let stream: NIOLoopBound<GRPCServerStream>

    func write(_ element: RPCResponsePart<GRPCBytes>) async throws {
        let stream = self.stream
        if stream.eventLoop.inEventLoop {
            if try stream.value.write(element) { return }
            try await withCheckedThrowingContinuation { stream.value.waitUntilWritable($0) }
        } else {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                stream.eventLoop.execute {
                    do {
                        if try stream.value.write(element) { waiter.resume() } else { stream.value.waitUntilWritable(waiter) }
                    } catch {
                        waiter.resume(throwing: error)
                    }
                }
            }
        }
    }

    func write(contentsOf elements: some Sequence<RPCResponsePart<GRPCBytes>>) async throws {
        for element in elements {
            try await self.write(element)
        }
    }

    func finish() async {
        self.abandon()
    }

    func finish(throwing error: any Error) async {
        self.abandon()
    }

    /// A finish after the trailers does nothing; before them it resets the stream.
    private func abandon() {
        let stream = self.stream
        if stream.eventLoop.inEventLoop {
            stream.value.abandon()
        } else {
            stream.eventLoop.execute { stream.value.abandon() }
        }
    }
}
