internal import HummingbirdCore
internal import HummingbirdWebSocket
internal import Logging
internal import NIOCore

/// Hummingbird's HTTP/1 channel with WebSocket upgrade, with `RequestHeadGuard` put first in
/// each connection's pipeline: the only place it can see bytes before the upgrade handler,
/// which has no timeout of its own, takes them. `ClientDepartureWatcher` goes there too, to see
/// the client's side close whatever the HTTP layer does with it.
struct GuardedServerChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    let limits: ConnectionLimits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(limits: self.limits))
            try channel.pipeline.syncOperations.addHandler(WebSocketRefusalWriter())
            try channel.pipeline.syncOperations.addHandler(ClientDepartureWatcher())
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return self.inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await self.inner.handle(value: value, logger: logger)
    }
}
