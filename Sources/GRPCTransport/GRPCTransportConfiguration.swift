/// The limits of the gRPC server's HTTP/2 connections.
public struct GRPCTransportConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 asks the system for a free port (`GRPCHTTP2Transport.listeningPort` tells which).
    public var port: Int
    /// The largest request message accepted; a larger one ends its call with
    /// RESOURCE_EXHAUSTED before it is read in full.
    public var maxMessageBytes: Int
    /// Calls open at once on one connection (HTTP/2's SETTINGS_MAX_CONCURRENT_STREAMS): a
    /// client opening more is refused the extra streams.
    public var maxConcurrentStreams: Int
    /// What one call may send before the server has read it (its stream's flow-control
    /// window); credit is given back only as its task reads, so a call that is not read
    /// holds at most this much.
    public var streamWindowBytes: Int
    /// What one connection may send before the server gives credit back.
    public var connectionWindowBytes: Int
    /// The largest header block a call may send (SETTINGS_MAX_HEADER_LIST_SIZE).
    public var maxHeaderListBytes: Int
    /// What a streaming call may have written and the client not yet taken before its next
    /// write waits.
    public var maxUnsentBytesPerStream: Int

    public init(
        host: String = "127.0.0.1",
        port: Int,
        maxMessageBytes: Int = 1 << 20,
        maxConcurrentStreams: Int = 100,
        streamWindowBytes: Int = 256 << 10,
        connectionWindowBytes: Int = 2 << 20,
        maxHeaderListBytes: Int = 16 << 10,
        maxUnsentBytesPerStream: Int = 256 << 10
    ) {
        self.host = host
        self.port = port
        self.maxMessageBytes = maxMessageBytes
        self.maxConcurrentStreams = maxConcurrentStreams
        self.streamWindowBytes = streamWindowBytes
        self.connectionWindowBytes = connectionWindowBytes
        self.maxHeaderListBytes = maxHeaderListBytes
        self.maxUnsentBytesPerStream = maxUnsentBytesPerStream
    }
}
