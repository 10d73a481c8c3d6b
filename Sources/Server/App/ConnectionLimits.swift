/// What one client connection may hold of the server, so that slow or idle clients cannot
/// exhaust its file descriptors: each is a `serve` setting.
public struct ConnectionLimits: Sendable, Equatable {
    /// A connection with no request in progress is closed after this long: idle keep-alive
    /// connections, and a later request whose head is still not complete by then.
    public var idleTimeout: Duration
    /// The first request's head must be complete this long after the connection opened
    /// (else 408 and close): what ends connections that send nothing, or half a header.
    public var headTimeout: Duration
    /// Connections open at once; past it the server stops accepting until one closes.
    public var maxConnections: Int
    /// The largest request head (request line and headers) answered; a larger one is 431 and
    /// the connection is closed.
    public var maxHeaderBytes: Int

    public init(idleTimeout: Duration = .seconds(30), headTimeout: Duration = .seconds(10), maxConnections: Int = 4_096, maxHeaderBytes: Int = 32_768)
    {
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
        self.maxConnections = maxConnections
        self.maxHeaderBytes = maxHeaderBytes
    }
}
