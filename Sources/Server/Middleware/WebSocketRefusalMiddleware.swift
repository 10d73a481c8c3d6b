internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore

/// For a WebSocket upgrade request that is refused, keeps the envelope the other middleware
/// made of the refusal, as bytes, in the connection's `WebSocketRefusalWriter`: Hummingbird
/// itself would send only a bare 400, so a client at its stream cap could not tell that it
/// should retry later.
struct WebSocketRefusalMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard response.status != .ok, request.headers[.upgrade]?.lowercased() == "websocket" else { return response }
        let collector = ResponseBodyCollector()
        try await response.body.write(collector)
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
        for field in response.headers where ![.contentLength, .connection, .transferEncoding].contains(field.name) {
            text += "\(field.name.rawName): \(field.value)\r\n"
        }
        text += "Content-Length: \(collector.bytes.count)\r\nConnection: close\r\n\r\n"
        var bytes = ByteBuffer(string: text)
        bytes.writeBytes(collector.bytes)
        let channel = context.channel
        let logger = context.logger
        let refusal = bytes
        channel.eventLoop.execute {
            do {
                try channel.pipeline.syncOperations.handler(type: WebSocketRefusalWriter.self).refusal = refusal
            } catch {
                logger.warning("a refused WebSocket upgrade is answered with a bare 400", metadata: ["error": "\(error)"])
            }
        }
        return response
    }
}
