import Foundation
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import Server

/// Slow and idle clients cannot hold the server's connections: nothing sent, half a header,
/// an idle keep-alive connection are each closed after their timeout; a head above the limit
/// is 431 and closed, on a fresh connection and on a kept-alive one. (The connection cap is
/// tested through the binary, `BinaryTests`: Hummingbird's test server drops it.)
@Suite struct ConnectionLimitTests {
    /// A TCP connection that writes what it is told and collects what comes back.
    final class RawConnection: Sendable {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

        init(port: Int) async throws {
            self.channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        }

        /// What arrives until the server closes (`closed`), or until `within` passes. `then` is
        /// sent once what arrived holds `after`.
        func exchange(
            _ text: String? = nil,
            within: Duration,
            then next: (after: String, text: String)? = nil,
            until done: @escaping @Sendable (String) -> Bool = { _ in false }
        ) async throws -> (text: String, closed: Bool) {
            let timer = self.channel.channel.eventLoop.scheduleTask(
                in: .nanoseconds(Int64(within.components.seconds) * 1_000_000_000 + within.components.attoseconds / 1_000_000_000)
            ) {
                self.channel.channel.close(promise: nil)
            }
            defer { timer.cancel() }
            let started = ContinuousClock.now
            return try await self.channel.executeThenClose { inbound, outbound in
                if let text { try await outbound.write(ByteBuffer(string: text)) }
                var received = ""
                var next = next
                do {
                    for try await chunk in inbound {
                        received += String(buffer: chunk)
                        if done(received) { return (received, false) }
                        if let step = next, received.contains(step.after) {
                            try await outbound.write(ByteBuffer(string: step.text))
                            next = nil
                        }
                    }
                } catch {
                    return (received, false)
                }
                // Closed before the test's own timer: the server closed it.
                return (received, ContinuousClock.now - started < within)
            }
        }
    }

    /// Short, but long enough that a loaded machine writes its first bytes before the head
    /// deadline (at one second a busy CI machine sometimes did not, and the write found the
    /// connection closed).
    static let quick = ConnectionLimits(idleTimeout: .seconds(3), headTimeout: .seconds(3), maxConnections: 4_096, maxHeaderBytes: 2_048)

    @Test func silentAndHalfHeaderConnectionsAreClosed() async throws {
        try await AuthenticatedApplication.withApplication(live: true, connectionLimits: Self.quick) { client, _ in
            let port = try #require(client.port)
            let silent = try await RawConnection(port: port).exchange(within: .seconds(20))
            #expect(silent.closed && silent.text.hasPrefix("HTTP/1.1 408 "), "\(silent)")
            #expect(silent.text.contains(#""code":"request_timeout""#))
            let half = try await RawConnection(port: port).exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", within: .seconds(20))
            #expect(half.closed && half.text.hasPrefix("HTTP/1.1 408 "), "\(half)")
        }
    }

    @Test func idleKeepAliveConnectionsAreClosed() async throws {
        try await AuthenticatedApplication.withApplication(live: true, connectionLimits: Self.quick) { client, _ in
            let port = try #require(client.port)
            let answered = try await RawConnection(port: port).exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", within: .seconds(20))
            #expect(answered.closed && answered.text.hasPrefix("HTTP/1.1 200 "), "\(answered)")
            // A second request that never finishes its head, on a kept-alive connection.
            let slow = try await RawConnection(port: port).exchange(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127",
                within: .seconds(20)
            )
            #expect(slow.closed && slow.text.hasPrefix("HTTP/1.1 200 "), "\(slow)")
        }
    }

    @Test func oversizedHeadsAre431() async throws {
        try await AuthenticatedApplication.withApplication(live: true, connectionLimits: Self.quick) { client, _ in
            let port = try #require(client.port)
            let big = "X-Big: " + String(repeating: "a", count: 4_096) + "\r\n"
            let first = try await RawConnection(port: port).exchange(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + big + "\r\n",
                within: .seconds(20)
            )
            #expect(first.closed && first.text.hasPrefix("HTTP/1.1 431 "), "\(first)")
            #expect(first.text.contains(#""code":"header_too_large""#))
            // The second request of a kept-alive connection, sent once the first was answered.
            let later = try await RawConnection(port: port).exchange(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                within: .seconds(20),
                then: (after: "HTTP/1.1 200 ", text: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + big + "\r\n")
            )
            #expect(later.closed && later.text.hasPrefix("HTTP/1.1 200 ") && later.text.contains("HTTP/1.1 431 "), "\(later)")
        }
    }
}
