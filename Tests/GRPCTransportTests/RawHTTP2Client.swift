import NIOCore
import NIOHPACK
import NIOPosix
import Synchronization

/// An HTTP/2 client that writes frames as bytes and reads them back the same way: it can do
/// what a conforming client would not (exceed the server's stream limit, lie about a
/// message's length, send a compressed flag with no encoding).
final class RawHTTP2Client: Sendable {
    struct Frame {
        var type: UInt8
        var flags: UInt8
        var stream: UInt32
        var payload: ByteBuffer

        static let data: UInt8 = 0
        static let headers: UInt8 = 1
        static let rstStream: UInt8 = 3
        static let settings: UInt8 = 4
        static let goAway: UInt8 = 7
        static let windowUpdate: UInt8 = 8
        static let endStream: UInt8 = 1
        static let endHeaders: UInt8 = 4
    }

    private let channel: any Channel
    private let inbox: Inbox
    private let hpack = Mutex((encoder: HPACKEncoder(allocator: ByteBufferAllocator()), decoder: HPACKDecoder(allocator: ByteBufferAllocator())))

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects and sends the preface and empty SETTINGS: the client's window stays at
    /// HTTP/2's 64 KiB, and it sends no WINDOW_UPDATE unless a test does.
    static func connect(port: Int) async throws -> RawHTTP2Client {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let client = RawHTTP2Client(channel: channel, inbox: inbox)
        var preface = ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        preface.writeImmutableBuffer(Self.frame(type: Frame.settings, flags: 0, stream: 0, payload: ByteBuffer()))
        try await channel.writeAndFlush(preface)
        return client
    }

    func close() {
        self.channel.close(promise: nil)
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: ByteBuffer) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(truncatingIfNeeded: payload.readableBytes >> 16))
        frame.writeInteger(UInt16(truncatingIfNeeded: payload.readableBytes))
        frame.writeInteger(type)
        frame.writeInteger(flags)
        frame.writeInteger(stream & 0x7FFF_FFFF)
        frame.writeImmutableBuffer(payload)
        return frame
    }

    func send(type: UInt8, flags: UInt8 = 0, stream: UInt32, payload: ByteBuffer) async throws {
        try await self.channel.writeAndFlush(Self.frame(type: type, flags: flags, stream: stream, payload: payload))
    }

    /// A call's HEADERS (the usual gRPC ones, with `extra` added or overriding).
    func startCall(stream: UInt32, path: String, extra: [(String, String)] = [], endStream: Bool = false) async throws {
        var headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": path, ":authority": "localhost", "content-type": "application/grpc", "te": "trailers",
        ]
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let block = try self.hpack.withLock { hpack in
            var block = ByteBuffer()
            try hpack.encoder.encode(headers: headers, to: &block)
            return block
        }
        try await self.send(type: Frame.headers, flags: Frame.endHeaders | (endStream ? Frame.endStream : 0), stream: stream, payload: block)
    }

    /// A DATA frame holding a gRPC message prefix (`flag`, `length`) and `bytes`.
    func sendMessage(stream: UInt32, flag: UInt8 = 0, length: Int? = nil, bytes: [UInt8], endStream: Bool = true) async throws {
        var payload = ByteBuffer()
        payload.writeInteger(flag)
        payload.writeInteger(UInt32(length ?? bytes.count))
        payload.writeBytes(bytes)
        try await self.send(type: Frame.data, flags: endStream ? Frame.endStream : 0, stream: stream, payload: payload)
    }

    /// The next frame from the server; a SETTINGS frame is acknowledged on the way.
    func next() async throws -> Frame {
        let frame = try await self.inbox.nextFrame()
        if frame.type == Frame.settings, frame.flags & 1 == 0 {
            try await self.send(type: Frame.settings, flags: 1, stream: 0, payload: ByteBuffer())
        }
        return frame
    }

    /// The header block of a HEADERS frame, decoded in order as HPACK requires: every HEADERS
    /// frame read must pass through here.
    func headers(of frame: Frame) throws -> HPACKHeaders {
        var block = frame.payload
        return try self.hpack.withLock { try $0.decoder.decodeHeaders(from: &block) }
    }

    /// Frames until one for `stream` of `type` arrives; HEADERS on the way are decoded.
    func await(type: UInt8, on stream: UInt32) async throws -> Frame {
        while true {
            let frame = try await self.next()
            if frame.type == Frame.headers {
                _ = try self.headers(of: frame)
            }
            if frame.type == type, frame.stream == stream { return frame }
        }
    }

    /// The response header blocks of `stream` until one ends it.
    func responseHeaders(on stream: UInt32) async throws -> [HPACKHeaders] {
        var blocks: [HPACKHeaders] = []
        while true {
            let frame = try await self.next()
            guard frame.type == Frame.headers else { continue }
            let headers = try self.headers(of: frame)
            guard frame.stream == stream else { continue }
            blocks.append(headers)
            if frame.flags & Frame.endStream != 0 { return blocks }
        }
    }
}

/// Bytes read from the connection, cut into frames as the tests ask for them.
final class Inbox: Sendable {
    private struct State {
        var bytes = ByteBuffer()
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?

        var hasFrame: Bool {
            guard self.bytes.readableBytes >= 9,
                let high = self.bytes.getInteger(at: self.bytes.readerIndex, as: UInt8.self),
                let low = self.bytes.getInteger(at: self.bytes.readerIndex + 1, as: UInt16.self)
            else { return false }
            return self.bytes.readableBytes >= 9 + (Int(high) << 16 | Int(low))
        }
    }

    private let state = Mutex(State())

    func received(_ bytes: ByteBuffer) {
        self.wake { $0.bytes.writeImmutableBuffer(bytes) }
    }

    func closed() {
        self.wake { $0.closed = true }
    }

    private func wake(_ change: (inout State) -> Void) {
        let waiter = self.state.withLock { state in
            change(&state)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    struct Closed: Error {}

    func nextFrame() async throws -> RawHTTP2Client.Frame {
        while true {
            let (frame, closed) = self.state.withLock { state -> (RawHTTP2Client.Frame?, Bool) in
                guard state.hasFrame else { return (nil, state.closed) }
                let length = Int(state.bytes.readInteger(as: UInt8.self)!) << 16 | Int(state.bytes.readInteger(as: UInt16.self)!)
                let type = state.bytes.readInteger(as: UInt8.self)!
                let flags = state.bytes.readInteger(as: UInt8.self)!
                let stream = state.bytes.readInteger(as: UInt32.self)! & 0x7FFF_FFFF
                let payload = state.bytes.readSlice(length: length)!
                return (RawHTTP2Client.Frame(type: type, flags: flags, stream: stream, payload: payload), false)
            }
            if let frame { return frame }
            if closed { throw Closed() }
            await withCheckedContinuation { waiter in
                let ready = self.state.withLock { state in
                    let ready = state.closed || state.hasFrame
                    if !ready { state.waiter = waiter }
                    return ready
                }
                if ready { waiter.resume() }
            }
        }
    }
}

final class InboxHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    let inbox: Inbox

    init(inbox: Inbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.inbox.received(self.unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.inbox.closed()
        context.fireChannelInactive()
    }
}
