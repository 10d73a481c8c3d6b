import Foundation
import JSON
internal import NIOCore

/// First in every connection's pipeline, before HTTP parsing: the first request's head must
/// arrive whole within `ConnectionLimits.headTimeout` and fit in `maxHeaderBytes`, else the
/// client gets 408 or 431 and the connection closes. Until that head has arrived the HTTP
/// layer has no timer of its own (Hummingbird's idle timer starts with the first request), so
/// connections that send nothing, or half a header, were held forever. Once it has, it only
/// passes bytes on; later requests are the idle timer's and `HeaderOverflowResponder`'s.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let limits: ConnectionLimits
    private var headComplete = false
    private var headBytes = 0
    /// The last four bytes read, to find the blank line that ends the head across reads.
    private var tail: UInt32 = 0
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let nanoseconds =
            Int64(self.limits.headTimeout.components.seconds) * 1_000_000_000 + self.limits.headTimeout.components.attoseconds / 1_000_000_000
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        self.deadline = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            let (handler, context) = bound.value
            guard !handler.headComplete else { return }
            handler.refuse(
                context: context,
                status: 408,
                reason: "Request Timeout",
                code: "request_timeout",
                message: "the request head did not arrive in time"
            )
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.headComplete else { return context.fireChannelRead(data) }
        let buffer = self.unwrapInboundIn(data)
        var found = false
        for byte in buffer.readableBytesView {
            self.headBytes += 1
            self.tail = self.tail << 8 | UInt32(byte)
            if self.tail == 0x0D0A_0D0A {
                found = true
                break
            }
        }
        if self.headBytes > self.limits.maxHeaderBytes {
            return self.refuse(
                context: context,
                status: 431,
                reason: "Request Header Fields Too Large",
                code: "header_too_large",
                message: "the request head is larger than \(self.limits.maxHeaderBytes) bytes"
            )
        }
        if found {
            self.headComplete = true
            self.deadline?.cancel()
        }
        context.fireChannelRead(data)
    }

    /// Answers in the envelope's error shape (no request was parsed, so no route, principal or
    /// revision is known) and closes.
    func refuse(context: ChannelHandlerContext, status: Int, reason: String, code: String, message: String) {
        self.headComplete = true
        self.deadline?.cancel()
        let body = Self.errorBody(status: status, code: code, message: message)
        var response = context.channel.allocator.buffer(capacity: body.count + 160)
        response.writeString(
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        )
        response.writeBytes(body)
        context.writeAndFlush(NIOAny(response)).whenComplete { _ in context.close(promise: nil) }
    }

    static func errorBody(status: Int, code: String, message: String) -> [UInt8] {
        let id = RequestIDGenerator.next(at: Date()).text
        var output = JSONOutput(capacity: 256)
        output.open()
        output.field("context", first: true) { $0.raw(#"{"organization_id":null,"principal_id":null,"team_id":null}"#) }
        output.field("data") { $0.raw("null") }
        output.field("error") { output in
            output.open()
            output.field("code", code, first: true)
            output.field("message", message)
            output.close()
        }
        output.field("links") { $0.raw("{}") }
        output.field("meta") { output in
            output.open()
            output.field("request_id", id, first: true)
            output.field("status") { $0.integer(status) }
            output.field("timestamp", Timestamp.format(Date()))
            output.field("trace_id", id)
            output.field("version", "1.0")
            output.close()
        }
        output.close()
        return output.bytes
    }
}
