internal import GRPCCore
internal import GRPCTransport
public import Logging
public import ServiceLifecycle

/// The gRPC server as a service of the application: started with the HTTP server, and on
/// shutdown it stops taking calls and lets those under way finish, as the HTTP server does.
public struct GRPCServerService: Service {
    let server: GRPCServer<GRPCHTTP2Transport>
    let transport: GRPCHTTP2Transport
    let settings: GRPCSettings
    let logger: Logger

    init(settings: GRPCSettings, services: [any RegistrableRPCService], logger: Logger) {
        self.transport = GRPCHTTP2Transport(
            configuration: GRPCTransportConfiguration(
                host: settings.host,
                port: settings.port,
                maxMessageBytes: settings.maxMessageBytes,
                maxConcurrentStreams: settings.maxConcurrentStreams
            ),
            logger: logger
        )
        self.server = GRPCServer(transport: self.transport, services: services)
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        try await self.server.serve()
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
                return try await self.transport.listeningPort
            } catch {
                // The server did not start; `run` throws why.
                self.logger.debug("gRPC is not listening", metadata: ["error": "\(error)"])
                return nil
            }
        }
    }
}
