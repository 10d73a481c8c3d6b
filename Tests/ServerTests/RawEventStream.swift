import Foundation
import NIOCore
import NIOPosix

/// A real HTTP client for an endless `text/event-stream`: a TCP connection that sends one GET
/// and reads what arrives, for as long as the test needs. (The test client collects whole
/// bodies, which an endless stream never ends.) Closed after 20 s whatever happens, so a test
/// waiting for something that never comes fails instead of hanging.
enum RawEventStream {
    struct Reader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        private(set) var text = ""

        /// Reads until `done` holds for everything read so far.
        mutating func read(until done: (String) -> Bool) async throws -> String {
            while !done(self.text) {
                guard let chunk = try await self.iterator.next() else { throw StreamEnded(text: self.text) }
                self.text += String(buffer: chunk)
            }
            return self.text
        }
    }

    struct StreamEnded: Error {
        let text: String
    }

    static func with<Result: Sendable>(
        port: Int,
        path: String,
        headers: [String: String],
        _ body: (inout Reader) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let timeout = channel.channel.eventLoop.scheduleTask(in: .seconds(20)) { channel.channel.close(promise: nil) }
        defer { timeout.cancel() }
        return try await channel.executeThenClose { inbound, outbound in
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
            for (name, value) in headers { request += "\(name): \(value)\r\n" }
            try await outbound.write(ByteBuffer(string: request + "\r\n"))
            var reader = Reader(iterator: inbound.makeAsyncIterator())
            return try await body(&reader)
        }
    }
}
