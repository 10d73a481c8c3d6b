import NIOCore
import NIOPosix
import Synchronization

/// A TCP forwarder on loopback between the service and its PostgreSQL server, so a test can
/// take the database away — every open connection closed, new ones closed as they arrive —
/// and bring it back, without touching the server other tests share.
final class TCPProxy: Sendable {
    private struct State {
        var cut = false
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    let port: Int
    private let state = Mutex(State())
    private let acceptor = Mutex<Task<Void, Never>?>(nil)

    private init(port: Int) {
        self.port = port
    }

    static func start(to host: String, port target: Int) async throws -> TCPProxy {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let proxy = TCPProxy(port: server.channel.localAddress?.port ?? 0)
        let task = Task<Void, Never> {
            try? await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        guard proxy.admit(connection.channel) else {
                            try? await connection.channel.close()
                            continue
                        }
                        group.addTask { await proxy.forward(connection, to: host, port: target) }
                    }
                }
            }
        }
        proxy.acceptor.withLock { $0 = task }
        return proxy
    }

    /// The database is gone: open connections close, new ones are closed at once.
    func cut() {
        let open = self.state.withLock { state in
            state.cut = true
            return Array(state.channels.values)
        }
        for channel in open { channel.close(promise: nil) }
    }

    func restore() {
        self.state.withLock { $0.cut = false }
    }

    func stop() {
        self.cut()
        self.acceptor.withLock { $0 }?.cancel()
    }

    private func admit(_ channel: any Channel) -> Bool {
        self.state.withLock { state in
            guard !state.cut else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    private func forward(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, to host: String, port: Int) async {
        defer { _ = self.state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(client.channel)) } }
        guard
            let upstream = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(
                host: host,
                port: port,
                channelInitializer: { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            ),
            self.admit(upstream.channel)
        else {
            try? await client.channel.close()
            return
        }
        defer { _ = self.state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(upstream.channel)) } }
        try? await client.executeThenClose { clientInbound, clientOutbound in
            try await upstream.executeThenClose { upstreamInbound, upstreamOutbound in
                // Either side ending ends both.
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { try? await Self.pump(clientInbound, into: upstreamOutbound) }
                    group.addTask { try? await Self.pump(upstreamInbound, into: clientOutbound) }
                    await group.next()
                    group.cancelAll()
                    client.channel.close(promise: nil)
                    upstream.channel.close(promise: nil)
                }
            }
        }
    }

    private static func pump(
        _ inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        into outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws {
        for try await bytes in inbound { try await outbound.write(bytes) }
    }
}
