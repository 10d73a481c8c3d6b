public import GRPCCore
public import Logging
internal import NIOCore
internal import NIOHTTP2
internal import NIOPosix
internal import Synchronization

/// gRPC's server side over HTTP/2 (plaintext), for GRPCCore's `GRPCServer`.
///
/// grpc-swift's own NIO transport gives every call an HTTP/2 stream channel, async sequences
/// and writers over it, and hops between the event loop and the call's task at each step; on
/// two cores that cost about three times what the call's own work does (BENCHMARKS.md). This
/// transport keeps NIOHTTP2's protocol handling and drops the rest: one handler per
/// connection reads every stream's frames (`GRPCConnectionHandler`), a message is a slice of
/// the frame that carried it, and each call runs as a task on its connection's event loop,
/// reading its request and writing its answer there without suspending.
///
/// Limits: the largest message, calls per connection, each stream's and each connection's
/// flow-control window (credit is given back as calls read), header size, and what a
/// streaming call may leave unsent before its writes wait (`GRPCTransportConfiguration`).
/// Only uncompressed messages are taken (`grpc-encoding: identity`).
public final class GRPCHTTP2Transport: ServerTransport, Sendable {
    public typealias Bytes = GRPCBytes

    let configuration: GRPCTransportConfiguration
    private let logger: Logger
    private let registry = GRPCServerRegistry()
    /// Each served method by its `:path`, so that a call's descriptor is found, not built.
    private let methods = Mutex<[String: MethodDescriptor]>([:])

    public init(configuration: GRPCTransportConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func configure(context: GRPCServerContext) {
        let table = Dictionary(context.methods.map { ("/" + $0.fullyQualifiedMethod, $0) }, uniquingKeysWith: { first, _ in first })
        self.methods.withLock { $0 = table }
    }

    /// The port the transport listens on, once it does (the chosen one when asked for 0).
    public var listeningPort: Int {
        get async throws { try await self.registry.address.port ?? 0 }
    }

    public func listen(streamHandler: @escaping @Sendable (RPCStream<Inbound, Outbound>, ServerContext) async -> Void) async throws {
        let (configuration, registry, logger) = (self.configuration, self.registry, self.logger)
        let methods = self.methods.withLock { $0 }
        let settings: HTTP2Settings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: configuration.maxConcurrentStreams),
            HTTP2Setting(parameter: .initialWindowSize, value: configuration.streamWindowBytes),
            HTTP2Setting(parameter: .maxHeaderListSize, value: configuration.maxHeaderListBytes),
            HTTP2Setting(parameter: .maxFrameSize, value: 1 << 14),
        ]
        // As grpc-swift's transport: no idle or age limit, a keepalive ping after two quiet
        // hours, and calls under way are waited for on shutdown.
        let management = NIOHTTP2ServerConnectionManagementHandler.Configuration(
            maxIdleTime: nil,
            maxAge: nil,
            maxGraceTime: nil,
            keepalive: .init(pingInterval: .hours(2), ackTimeout: .seconds(20))
        )
        let (connections, connectionOpened) = AsyncStream<(any EventLoop, AsyncStream<GRPCConnectionHandler.Call>)>.makeStream()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard registry.connectionOpened(channel) else {
                        registry.connectionClosed(channel)
                        throw ChannelError.ioOnClosedChannel
                    }
                    let (calls, startCall) = AsyncStream<GRPCConnectionHandler.Call>.makeStream()
                    connectionOpened.yield((channel.eventLoop, calls))
                    channel.closeFuture.whenComplete { _ in
                        startCall.finish()
                        registry.connectionClosed(channel)
                    }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(NIOHTTP2Handler(mode: .server, initialSettings: settings))
                    try pipeline.addHandler(NIOHTTP2ServerConnectionManagementHandler(eventLoop: channel.eventLoop, configuration: management))
                    try pipeline.addHandler(
                        GRPCConnectionHandler(
                            configuration: configuration,
                            eventLoop: channel.eventLoop,
                            methods: methods,
                            logger: logger,
                            streamHandler: streamHandler,
                            startCall: startCall
                        )
                    )
                }
            }
        let listener: any Channel
        do {
            listener = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            registry.listening(.failure(error))
            throw error
        }
        registry.listening(.success(listener))
        // Each connection's calls run as child tasks of a task of this one, on the
        // connection's event loop; the loop ends once the listener is closed and every
        // connection and call has ended.
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        try await listener.closeFuture.get()
                    } catch {
                        logger.debug("gRPC listener closed", metadata: ["error": "\(error)"])
                    }
                    await registry.untilDrained()
                    connectionOpened.finish()
                }
                for await (loop, calls) in connections {
                    group.addTask(executorPreference: EventLoopTaskExecutor(loop: loop)) {
                        await withDiscardingTaskGroup { group in
                            for await call in calls {
                                group.addTask { await call() }
                            }
                        }
                    }
                }
            }
        } onCancel: {
            registry.closeAll()
        }
    }

    public func beginGracefulShutdown() {
        self.registry.beginGracefulShutdown()
    }
}
