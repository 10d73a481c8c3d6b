internal import GRPCCore
internal import Logging
internal import NIOCore
internal import NIOHPACK
internal import NIOHTTP2

/// The gRPC side of one HTTP/2 connection. `NIOHTTP2Handler` before it keeps the protocol
/// (framing, HPACK, stream states, flow-control accounting, SETTINGS and PING); this handler
/// sees every stream's frames on the connection itself, without a channel per stream, and
/// hands each call to the connection's task in `listen`, which runs it as a child task on
/// this connection's event loop (`EventLoopTaskExecutor`).
/// It gives flow-control credit back itself, as the calls read what they received.
final class GRPCConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    typealias StreamHandler = @Sendable (RPCStream<GRPCHTTP2Transport.Inbound, GRPCHTTP2Transport.Outbound>, ServerContext) async -> Void
    typealias Call = @Sendable () async -> Void

    let configuration: GRPCTransportConfiguration
    let eventLoop: any EventLoop
    private let methods: [String: MethodDescriptor]
    private let streamHandler: StreamHandler
    private let logger: Logger
    /// Where calls go to be run: a child task of `listen`'s, so that a call sees the task
    /// locals of the server's task (a graceful shutdown, above all) and is cancelled with it.
    private let startCall: AsyncStream<Call>.Continuation

    private var context: ChannelHandlerContext?
    private var streams: [HTTP2StreamID: GRPCServerStream] = [:]
    private var remotePeer = "unknown"
    private var localPeer = "unknown"
    /// Connection-level bytes received and not yet credited back.
    private var uncredited = 0
    private var unflushed = false
    private var flushScheduled = false
    private var connectionWindowOpened = false

    init(
        configuration: GRPCTransportConfiguration,
        eventLoop: any EventLoop,
        methods: [String: MethodDescriptor],
        logger: Logger,
        streamHandler: @escaping StreamHandler,
        startCall: AsyncStream<Call>.Continuation
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.methods = methods
        self.logger = logger
        self.streamHandler = streamHandler
        self.startCall = startCall
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.remotePeer = Self.describe(context.channel.remoteAddress)
        self.localPeer = Self.describe(context.channel.localAddress)
        if context.channel.isActive { self.openConnectionWindow() }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.openConnectionWindow()
        context.fireChannelActive()
    }

    /// HTTP/2 starts every connection with a 64 KiB window; the configured one is opened at
    /// once.
    private func openConnectionWindow() {
        guard !self.connectionWindowOpened else { return }
        self.connectionWindowOpened = true
        let increment = self.configuration.connectionWindowBytes - 65_535
        if increment > 0 {
            self.write(HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: increment)))
            self.scheduleFlush()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let headers):
            if let stream = self.streams[frame.streamID] {
                // Trailers from the client: only the end of its side matters.
                if headers.endStream { stream.endOfInput() }
            } else {
                self.open(frame.streamID, headers.headers, endStream: headers.endStream)
            }
        case .data(let payload):
            // Flow control counts the padding and its length byte too.
            let size = payload.data.readableBytes + (payload.paddingBytes.map { $0 + 1 } ?? 0)
            if case .byteBuffer(let bytes) = payload.data, let stream = self.streams[frame.streamID] {
                stream.receive(bytes, endStream: payload.endStream, flowControlled: size)
            }
            self.creditConnection(size)
        case .rstStream:
            // The client gave up on the call: the StreamClosedEvent that follows ends it.
            break
        default:
            // SETTINGS, PING, GOAWAY, WINDOW_UPDATE and PRIORITY are NIOHTTP2Handler's.
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flushNow()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let closed = event as? StreamClosedEvent, let stream = self.streams.removeValue(forKey: closed.streamID) {
            stream.close()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A stream's error resets only that stream (NIOHTTP2Handler has done so; its
        // StreamClosedEvent follows). Anything else ends the connection.
        if error is NIOHTTP2Errors.StreamError { return }
        self.logger.debug("gRPC connection closed on an error", metadata: ["peer": "\(self.remotePeer)", "error": "\(error)"])
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let streams = self.streams.values
        self.streams.removeAll()
        for stream in streams { stream.close() }
        context.fireChannelInactive()
    }

    // MARK: Calls

    private func open(_ id: HTTP2StreamID, _ headers: HPACKHeaders, endStream: Bool) {
        guard let contentType = headers.first(name: "content-type"), contentType.hasPrefix("application/grpc") else {
            self.refuse(id, .httpStatus(415), endStream: endStream)
            return
        }
        guard headers.first(name: ":method") == "POST" else {
            self.refuse(
                id,
                .grpcTrailers(status: Status(code: .invalidArgument, message: "gRPC calls are POST requests"), metadata: [:], trailersOnly: true),
                endStream: endStream
            )
            return
        }
        if let encoding = headers.first(name: "grpc-encoding"), encoding != "identity" {
            var trailers = HPACKHeaders.grpcTrailers(
                status: Status(code: .unimplemented, message: "\(encoding) compression is not supported; send messages uncompressed"),
                metadata: [:],
                trailersOnly: true
            )
            trailers.add(name: "grpc-accept-encoding", value: "identity")
            self.refuse(id, trailers, endStream: endStream)
            return
        }
        let path = headers.first(name: ":path") ?? ""
        let descriptor = self.methods[path] ?? Self.descriptor(path)

        let connection = NIOLoopBound(self, eventLoop: self.eventLoop)
        let inbound = GRPCInboundBuffer { [eventLoop] in
            eventLoop.execute { connection.value.streams[id]?.drained() }
        }
        let stream = GRPCServerStream(id: id, connection: self, inbound: inbound, maxMessageBytes: self.configuration.maxMessageBytes)
        self.streams[id] = stream
        inbound.append(.metadata(Metadata(requestHeaders: headers)))
        if endStream { stream.endOfInput() }

        let rpc = RPCStream(
            descriptor: descriptor,
            inbound: RPCAsyncSequence(wrapping: GRPCInboundSequence(buffer: inbound)),
            outbound: RPCWriter.Closable(wrapping: GRPCOutboundWriter(stream: NIOLoopBound(stream, eventLoop: self.eventLoop)))
        )
        let bound = NIOLoopBound(stream, eventLoop: self.eventLoop)
        let (remotePeer, localPeer, handler) = (self.remotePeer, self.localPeer, self.streamHandler)
        let started = self.startCall.yield {
            await withServerContextRPCCancellationHandle { handle in
                if bound.eventLoop.inEventLoop {
                    bound.value.attach(handle)
                } else {
                    bound.eventLoop.execute { bound.value.attach(handle) }
                }
                await handler(rpc, ServerContext(descriptor: descriptor, remotePeer: remotePeer, localPeer: localPeer, cancellation: handle))
            }
        }
        if case .terminated = started {
            // The connection is closing: the call never starts.
            stream.abandon()
        }
    }

    /// Answers a request that is not a call this server takes, without starting one.
    private func refuse(_ id: HTTP2StreamID, _ headers: HPACKHeaders, endStream: Bool) {
        self.write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: headers, endStream: true))))
        if !endStream { self.write(HTTP2Frame(streamID: id, payload: .rstStream(.noError))) }
        self.scheduleFlush()
    }

    /// A path not among the served methods' (GRPCCore answers UNIMPLEMENTED).
    private static func descriptor(_ path: String) -> MethodDescriptor {
        let trimmed = path.utf8.first == UInt8(ascii: "/") ? path.dropFirst() : Substring(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return MethodDescriptor(fullyQualifiedService: "", method: String(trimmed)) }
        return MethodDescriptor(fullyQualifiedService: String(trimmed[..<slash]), method: String(trimmed[trimmed.index(after: slash)...]))
    }

    // MARK: Frames out

    func write(_ frame: HTTP2Frame, promise: EventLoopPromise<Void>? = nil) {
        guard let context = self.context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(self.wrapOutboundOut(frame), promise: promise)
        self.unflushed = true
    }

    /// Flushes once the loop has run what is queued: the answers of every call that finishes
    /// in this turn of the loop leave in one write.
    func scheduleFlush() {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        let connection = NIOLoopBound(self, eventLoop: self.eventLoop)
        self.eventLoop.execute {
            connection.value.flushScheduled = false
            connection.value.flushNow()
        }
    }

    private func flushNow() {
        guard self.unflushed, let context = self.context else { return }
        self.unflushed = false
        context.flush()
    }

    private func creditConnection(_ bytes: Int) {
        self.uncredited += bytes
        guard self.uncredited >= self.configuration.connectionWindowBytes / 2 else { return }
        self.write(HTTP2Frame(streamID: .rootStream, payload: .windowUpdate(windowSizeIncrement: self.uncredited)))
        self.uncredited = 0
        self.scheduleFlush()
    }

    // MARK: Peers

    /// As grpc-swift describes peers (`ipv4:127.0.0.1:52100`, `ipv6:[::1]:52100`).
    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        switch address {
        case .v4:
            return "ipv4:\(address.ipAddress ?? ""):\(address.port ?? 0)"
        case .v6:
            return "ipv6:[\(address.ipAddress ?? "")]:\(address.port ?? 0)"
        case .unixDomainSocket:
            return "unix:\(address.pathname ?? "")"
        }
    }
}
