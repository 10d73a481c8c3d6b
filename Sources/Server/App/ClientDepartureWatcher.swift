internal import NIOCore

/// In every connection's pipeline: ends an event stream as soon as its client leaves.
/// Hummingbird allows half-closed connections (a client may shut its side and still read the
/// answer), so a client that leaves closes only the input, and a stream would only find out
/// when a write failed: up to a keep-alive interval later, holding one of its principal's
/// stream places until then. An event stream marks its start and end (`EventStreamMark`, sent
/// as outbound user events, which any thread may send); a closed input or connection in
/// between calls the stream's `departed` and closes the connection. Other requests keep the
/// half-closed behaviour.
final class ClientDepartureWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    /// The running stream's, until it ends or its client leaves.
    private var departed: (@Sendable () -> Void)?
    private var inputClosed = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent {
            self.inputClosed = true
            self.clientLeft(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.clientLeft(context: context)
        context.fireChannelInactive()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let mark = event as? EventStreamMark else { return context.triggerUserOutboundEvent(event, promise: promise) }
        switch mark {
        case .started(let departed):
            self.departed = departed
            if self.inputClosed || !context.channel.isActive { self.clientLeft(context: context) }
        case .ended:
            self.departed = nil
        }
        promise?.succeed()
    }

    private func clientLeft(context: ChannelHandlerContext) {
        guard let departed = self.departed else { return }
        self.departed = nil
        departed()
        context.close(promise: nil)
    }
}
