/// Where and how `authz serve` answers gRPC (port 3002 by default; `--grpc-port 0` turns it
/// off).
public struct GRPCSettings: Sendable, Equatable {
    public var host: String
    /// 0 asks the system for a free port (tests); `GRPCServerService` reports which.
    public var port: Int
    /// The largest request message accepted, as HTTP's body limit: a batch of 1,000 checks
    /// is about 150 KB.
    public var maxMessageBytes: Int
    /// Calls open at once on one connection (HTTP/2 streams); more wait for the client.
    public var maxConcurrentStreams: Int

    public init(host: String = "127.0.0.1", port: Int = 3002, maxMessageBytes: Int = 1 << 20, maxConcurrentStreams: Int = 100) {
        self.host = host
        self.port = port
        self.maxMessageBytes = maxMessageBytes
        self.maxConcurrentStreams = maxConcurrentStreams
    }
}
