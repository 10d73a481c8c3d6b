internal import Authz
public import Hummingbird
public import Identity
public import Logging

/// The application: the router over the given identity service, the follower as a
/// background service, the listen address from the settings.
public func buildApplication<Store: IdentityStore>(
    settings: Settings, service: IdentityService<Store>, logger: Logger
) -> some ApplicationProtocol {
    let (router, _) = buildRouter(service: service, limits: settings.rateLimits)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: "authz"),
        services: [SnapshotFollowingService(follower: service.follower)],
        logger: logger
    )
}

/// The router and the table of its routes. Every route family is a controller adding its
/// routes; the envelope middleware wraps them all, unknown paths included.
public func buildRouter<Store: IdentityStore>(
    service: IdentityService<Store>, limits: RateLimits = RateLimits(), metrics: ServiceMetrics = ServiceMetrics()
) -> (Router<AppRequestContext>, RouteTable) {
    var routes = Routes()
    let revision: @Sendable () -> UInt64 = { service.snapshot.revision }
    SystemController(service: service, metrics: metrics).addRoutes(to: &routes)
    MeController(service: service).addRoutes(to: &routes)
    TeamsController(service: service).addRoutes(to: &routes)
    InvitationsController(service: service).addRoutes(to: &routes)
    AuthzController(service: service, metrics: metrics).addRoutes(to: &routes)
    OrganizationsController(service: service).addRoutes(to: &routes)
    let router = Router(context: AppRequestContext.self)
    let table = routes.table
    let authenticator = APIKeyAuthenticator(service: service, metrics: metrics)
    router.addMiddleware {
        EnvelopeMiddleware(routes: table, revision: revision, metrics: metrics)
        RateLimitMiddleware(limits: limits, limiter: RateLimiter(), authenticator: authenticator)
        AuthenticationMiddleware(authenticator: authenticator)
    }
    routes.register(on: router)
    return (router, table)
}
