internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A `text/event-stream` response whose events `produce` writes as they come, straight to the
/// connection: a client that reads slowly slows the producer down (NIO's back pressure)
/// instead of growing a buffer. Not enveloped (docs/API.md §1): errors found before the stream
/// starts are ordinary envelope errors, errors after it are `error` events. Every stream holds
/// a `StreamPermit` of its principal's, given back when the stream ends.
enum SSEResponse {
    static func make(holding permit: StreamPermit, _ produce: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                defer { permit.release() }
                try await produce(&writer)
                try await writer.finish(nil)
            }
        )
    }
}
