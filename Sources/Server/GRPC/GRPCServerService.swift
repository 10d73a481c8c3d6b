internal import GRPCCore
internal import GRPCNIOTransportHTTP2
public import Logging
public import ServiceLifecycle

/// The gRPC server as a service of the application: started with the HTTP server, and on
/// shutdown it stops taking calls and lets those under way finish, as the HTTP server does.
public struct GRPCServerService: Service {
    let server: GRPCServer<HTTP2ServerTransport.Posix>
    let settings: GRPCSettings
    let logger: Logger

    init(settings: GRPCSettings, services: [any RegistrableRPCService], logger: Logger) {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: settings.host, port: settings.port),
            transportSecurity: .plaintext,
            config: .defaults { config in
                config.rpc.maxRequestPayloadSize = settings.maxMessageBytes
                config.http2.maxConcurrentStreams = settings.maxConcurrentStreams
            }
        )
        self.server = GRPCServer(transport: transport, services: services)
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        // Every call's task inherits the preference (see
                        // EventLoopGroupTaskExecutor): its many small async hops run inline.
                        try await withTaskExecutorPreference(EventLoopGroupTaskExecutor.singleton) {
                            try await self.server.serve()
                        }
                    } catch {
                        // Said in full (a port already in use, say), then the service stops.
                        throw GRPCListenError(address: "\(self.settings.host):\(self.settings.port)", cause: error)
                    }
                }
                if let port = await self.listeningPort {
                    self.logger.info("gRPC listening", metadata: ["address": "\(self.settings.host):\(port)"])
                }
            }
        } onGracefulShutdown: {
            self.server.beginGracefulShutdown()
        }
    }

    /// The port the server listens on, once it does (the chosen one when asked for 0).
    public var listeningPort: Int? {
        get async {
            do {
                return try await self.server.listeningAddress?.ipv4?.port
            } catch {
                // The server did not start; `run` throws why.
                self.logger.debug("gRPC is not listening", metadata: ["error": "\(error)"])
                return nil
            }
        }
    }
}
