internal import NIOCore

/// In every connection's pipeline: closes the connection when its client leaves during an
/// event stream. Hummingbird allows half-closed connections (a client may shut its side and
/// still read the answer), so a client that leaves closes only the input, and a stream would
/// only find out when a write failed: up to a keep-alive interval later, holding one of its
/// principal's stream places until then. An event stream marks its start and end
/// (`EventStreamMark`, sent as outbound user events, which any thread may send), and a
/// closed input during one closes the connection, which ends the stream (`SSEResponse`).
/// Other requests keep the half-closed behaviour.
final class ClientDepartureWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private var streaming = false
    private var inputClosed = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed? = event as? ChannelEvent {
            self.inputClosed = true
            if self.streaming { context.close(promise: nil) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let mark = event as? EventStreamMark else { return context.triggerUserOutboundEvent(event, promise: promise) }
        switch mark {
        case .started:
            self.streaming = true
            if self.inputClosed { context.close(promise: nil) }
        case .ended:
            self.streaming = false
        }
        promise?.succeed()
    }
}
