public import APIKeys
internal import Authz
import Foundation
internal import GRPCCore
public import Hummingbird
internal import HummingbirdCore
internal import HummingbirdWebSocket
public import Identity
public import Logging
internal import ServiceLifecycle
public import Workloads

/// The application: the router over the given identity service, the follower as a
/// background service, the listen address from the settings.
public func buildApplication(
    settings: Settings,
    service: IdentityService,
    logger: Logger,
    hasher: PasswordHasher = .owasp
) async throws -> some ApplicationProtocol {
    let cache = VerifiedKeyCache<Authentication>()
    var jwt: JWTAuthenticator?
    if let jwtSettings = settings.jwt {
        jwt = try await JWTAuthenticator(settings: jwtSettings, service: service, cache: cache)
    }
    let runner = JobRunner(jobs: JobService(identity: service), concurrency: settings.jobWorkers)
    let shares = ShareService(identity: service, secretKey: settings.secretKey, limits: settings.shareLimits, hasher: hasher)
    let metrics = ServiceMetrics()
    // One gate for HTTP and gRPC: the same key cache, verifications and rate limits.
    let gate = CredentialGate(
        authenticator: APIKeyAuthenticator(service: service, cache: cache, metrics: metrics),
        jwt: jwt,
        limits: settings.rateLimits,
        limiter: RateLimiter()
    )
    // One feed and one count of open streams for SSE, WebSocket and gRPC's Watch.
    let feed = ChangeFeed()
    let streams = StreamLimiter(perPrincipal: settings.rateLimits.streamsPerPrincipal)
    let (router, _) = buildRouter(
        service: service,
        limits: settings.rateLimits,
        metrics: metrics,
        cache: cache,
        jwt: jwt,
        hasher: hasher,
        runner: runner,
        blobs: BlobStore(folder: settings.blobFolder),
        shares: shares,
        trustedProxies: settings.trustedProxies,
        eventBuffer: settings.eventBuffer,
        gate: gate,
        feed: feed,
        streams: streams,
        console: settings.console
    )
    var services: [any Service] = [SnapshotFollowingService(follower: service.follower), JobRunnerService(runner: runner)]
    if let grpc = settings.grpc {
        let events = ChangeEventStream(service: service, feed: feed, buffer: settings.eventBuffer)
        let calls = buildGRPCServices(service: service, gate: gate, metrics: metrics, events: events, streams: streams, logger: logger)
        services.append(GRPCServerService(settings: grpc, services: calls, logger: logger))
    }
    let limits = settings.connectionLimits
    let webSocketResponder = router.buildResponder()
    let channel = HTTP1WebSocketUpgradeChannel.Configuration(
        http1: .init(
            additionalChannelHandlers: [HeaderOverflowResponder(limit: limits.maxHeaderBytes)],
            idleTimeout: .nanoseconds(Int64(limits.idleTimeout.components.seconds) * 1_000_000_000),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes)
        ),
        ws: .init(autoPing: .enabled(timePeriod: .seconds(30)))
    )
    return Application(
        router: router,
        server: HTTPServerBuilder { responder in
            GuardedServerChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: channel),
                limits: limits
            )
        },
        configuration: ApplicationConfiguration(
            address: .hostname(settings.host, port: settings.port),
            serverName: "authz",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)
        ),
        services: services,
        logger: logger
    )
}

/// The gRPC services (the check API and health), over the same service, credential gate,
/// change feed and stream limits as the router.
func buildGRPCServices(
    service: IdentityService,
    gate: CredentialGate,
    metrics: ServiceMetrics,
    events: ChangeEventStream,
    streams: StreamLimiter,
    logger: Logger
) -> [any RegistrableRPCService] {
    [
        AuthzGRPCService(checks: AuthzController(service: service, metrics: metrics), gate: gate, events: events, streams: streams, logger: logger),
        HealthGRPCService(service: service),
    ]
}

/// The router and the table of its routes. Every route family is a controller adding its
/// routes; the envelope middleware wraps them all, unknown paths included.
public func buildRouter(
    service: IdentityService,
    limits: RateLimits = RateLimits(),
    metrics: ServiceMetrics = ServiceMetrics(),
    cache: VerifiedKeyCache<Authentication> = VerifiedKeyCache(),
    jwt: JWTAuthenticator? = nil,
    hasher: PasswordHasher = .owasp,
    runner: JobRunner? = nil,
    blobs: BlobStore? = nil,
    shares: ShareService? = nil,
    trustedProxies: Set<String> = [],
    eventBuffer: Int = 1024,
    gate: CredentialGate? = nil,
    feed: ChangeFeed? = nil,
    streams: StreamLimiter? = nil,
    console: Bool = true
) -> (Router<AppRequestContext>, RouteTable) {
    let shares = shares ?? ShareService(identity: service, secretKey: SecureRandom.bytes(32), hasher: hasher)
    // One cache for both kinds of credential, so the rate limiter recognises either; one gate
    // for every way in (gRPC passes the same), so limits and verifications are shared.
    let gate =
        gate
        ?? CredentialGate(
            authenticator: APIKeyAuthenticator(service: service, cache: cache, metrics: metrics),
            jwt: jwt,
            limits: limits,
            limiter: RateLimiter()
        )
    let limiter = gate.limiter
    let blobs = blobs ?? BlobStore(folder: FileManager.default.temporaryDirectory.appendingPathComponent("authz-blobs-\(UUID())").path)
    let runner = runner ?? JobRunner(jobs: JobService(identity: service))
    let jobs = runner.jobs
    let feed = feed ?? ChangeFeed()
    let streams = streams ?? StreamLimiter(perPrincipal: limits.streamsPerPrincipal)
    var routes = Routes()
    let revision: @Sendable () -> UInt64 = { service.snapshot.revision }
    SystemController(service: service, metrics: metrics).addRoutes(to: &routes)
    DocsController(policy: service.policy, providers: jobs.providers).addRoutes(to: &routes)
    if console { ConsoleController().addRoutes(to: &routes) }
    MeController(service: service).addRoutes(to: &routes)
    TeamsController(service: service).addRoutes(to: &routes)
    InvitationsController(service: service, acceptPage: console ? ConsoleController.acceptPage : nil).addRoutes(to: &routes)
    AuthzController(service: service, metrics: metrics).addRoutes(to: &routes)
    let assets = AssetService(identity: service, blobs: blobs)
    OrganizationsController(service: service, assets: assets).addRoutes(to: &routes)
    APIKeysController(service: service, hasher: hasher).addRoutes(to: &routes)
    AuditLogsController(service: service).addRoutes(to: &routes)
    ProvidersController(jobs: jobs, streams: streams).addRoutes(to: &routes)
    JobsController(jobs: jobs, runner: runner, feed: feed, streams: streams).addRoutes(to: &routes)
    UsageController(jobs: jobs).addRoutes(to: &routes)
    AssetsController(assets: assets).addRoutes(to: &routes)
    WorkflowsController(workflows: runner.workflows, runner: runner, feed: feed, streams: streams).addRoutes(to: &routes)
    SharesController(shares: shares, limiter: limiter).addRoutes(to: &routes)
    EventsController(service: service, feed: feed, streams: streams, buffer: eventBuffer).addRoutes(to: &routes)
    let router = Router(context: AppRequestContext.self)
    let table = routes.table
    let auditLogger = Logger(label: "authz.audit")
    router.addMiddleware {
        WebSocketRefusalMiddleware()
        EnvelopeMiddleware(
            routes: table,
            revision: revision,
            metrics: metrics,
            audit: { event in
                await auditLogger.attempt("write an audit record", metadata: ["action": "\(event.action)"]) { try await service.recordAudit(event) }
            },
            trustedProxies: trustedProxies
        )
        AuthenticationMiddleware(gate: gate)
    }
    let observers = ChangeLogObservers(cache: cache, credentials: StreamCredentialWatch(service: service, feed: feed), runner: runner, feed: feed)
    service.follower.observe(observers.observe)
    routes.register(on: router, idempotency: IdempotencyMiddleware(service: service))
    return (router, table)
}
