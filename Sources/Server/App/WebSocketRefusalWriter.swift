internal import NIOCore

/// Sends a refused WebSocket upgrade's real answer. Hummingbird answers every refused upgrade
/// with a bare `400` (and closes); the refusal that `WebSocketRefusalMiddleware` recorded —
/// 401, 403, 404 or a 429 with its `Retry-After` — is written in its place, envelope and all.
/// It sits at the socket end of the pipeline, where the response is already bytes.
final class WebSocketRefusalWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The whole response to send instead, once a refusal has been recorded.
    var refusal: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = self.unwrapOutboundIn(data)
        if let refusal = self.refusal, buffer.readableBytesView.starts(with: Self.bareRefusal) {
            self.refusal = nil
            context.write(self.wrapOutboundOut(refusal), promise: promise)
            return
        }
        context.write(data, promise: promise)
    }

    static let bareRefusal = Array("HTTP/1.1 400 Bad Request\r\n".utf8)
}
