internal import NIOCore
internal import Synchronization

/// What the transport has under way: its listener and its connections. Once the listener is
/// closed and no connection remains, `listen` stops waiting for new ones (its task group still
/// waits for the calls under way).
final class GRPCServerRegistry: Sendable {
    private struct State {
        var listener: Result<any Channel, any Error>?
        var addressWaiters: [CheckedContinuation<SocketAddress, any Error>] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
        var shuttingDown = false
        var drainWaiter: CheckedContinuation<Void, Never>?

        var drained: Bool { self.connections.isEmpty }
    }

    private let state = Mutex(State())

    // MARK: The listener

    func listening(_ result: Result<any Channel, any Error>) {
        let (waiters, shuttingDown) = self.state.withLock { state in
            state.listener = result
            defer { state.addressWaiters = [] }
            return (state.addressWaiters, state.shuttingDown)
        }
        for waiter in waiters { Self.resume(waiter, with: result) }
        if shuttingDown, case .success(let channel) = result { channel.close(promise: nil) }
    }

    /// The address the listener is bound to, once it is (the chosen port when asked for 0).
    var address: SocketAddress {
        get async throws {
            try await withCheckedThrowingContinuation { waiter in
                let listener = self.state.withLock { state in
                    if state.listener == nil { state.addressWaiters.append(waiter) }
                    return state.listener
                }
                if let listener { Self.resume(waiter, with: listener) }
            }
        }
    }

    private static func resume(_ waiter: CheckedContinuation<SocketAddress, any Error>, with listener: Result<any Channel, any Error>) {
        switch listener {
        case .success(let channel):
            if let address = channel.localAddress {
                waiter.resume(returning: address)
            } else {
                waiter.resume(throwing: ChannelError.ioOnClosedChannel)
            }
        case .failure(let error):
            waiter.resume(throwing: error)
        }
    }

    // MARK: Connections

    /// False once shutting down: the connection is told to finish its calls and go.
    func connectionOpened(_ channel: any Channel) -> Bool {
        self.state.withLock { state in
            state.connections[ObjectIdentifier(channel)] = channel
            return !state.shuttingDown
        }
    }

    func connectionClosed(_ channel: any Channel) {
        self.update { $0.connections[ObjectIdentifier(channel)] = nil }
    }

    private func update(_ change: (inout State) -> Void) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            change(&state)
            guard state.drained, let waiter = state.drainWaiter else { return nil }
            state.drainWaiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns once no connection remains.
    func untilDrained() async {
        await withCheckedContinuation { waiter in
            let drained = self.state.withLock { state in
                if !state.drained { state.drainWaiter = waiter }
                return state.drained
            }
            if drained { waiter.resume() }
        }
    }

    // MARK: Stopping

    /// Stops taking connections, and asks each connection to finish its calls and close
    /// (HTTP/2's graceful GOAWAY, `NIOHTTP2ServerConnectionManagementHandler`).
    func beginGracefulShutdown() {
        let (listener, connections) = self.state.withLock { state in
            state.shuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        if case .success(let channel) = listener { channel.close(promise: nil) }
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes the listener and every connection now: their calls are cancelled.
    func closeAll() {
        let (listener, connections) = self.state.withLock { state in
            state.shuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        if case .success(let channel) = listener { channel.close(promise: nil) }
        for connection in connections { connection.close(promise: nil) }
    }
}
