internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// Receives a response body as it is written, so it can be stored and sent again.
final class ResponseBodyCollector: ResponseBodyWriter {
    var bytes: [UInt8] = []

    func write(_ buffer: ByteBuffer) async throws {
        self.bytes.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
