internal import Hummingbird
internal import HummingbirdWebSocket

/// The routes of every controller, collected before any is registered: the envelope
/// middleware needs the complete route table (to tell 405 from 404), and Hummingbird applies
/// router middleware only to routes added after it. So: collect, add the middleware, then
/// register — and the table and the router can never disagree.
struct Routes {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    private(set) var table = RouteTable()
    private var handlers: [(method: HTTPRequest.Method, path: String, idempotent: Bool, handler: Handler)] = []
    private var webSockets: [(path: String, register: @Sendable (Router<AppRequestContext>) -> Void)] = []

    /// `idempotent`: the route honours `Idempotency-Key` (docs/API.md §1); only such routes pass
    /// through the idempotency middleware.
    ///
    /// A handler that already answers with a `Response` is registered as it is: wrapping it
    /// in another async closure would cost a job on the event loop per request.
    mutating func on(_ method: HTTPRequest.Method, _ path: String, idempotent: Bool = false, use handler: @escaping Handler) {
        self.table.add(method, path, idempotent: idempotent)
        self.handlers.append((method, path, idempotent, handler))
    }

    mutating func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method,
        _ path: String,
        idempotent: Bool = false,
        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        self.table.add(method, path, idempotent: idempotent)
        self.handlers.append(
            (method, path, idempotent, { request, context in try await handler(request, context).response(from: request, context: context) })
        )
    }

    /// A `GET` route that upgrades to a WebSocket when `shouldUpgrade` returns (it throws to
    /// refuse, like any handler). The upgrade request passes through the same middleware, so
    /// it is authenticated and rate limited like every other `/v1` request.
    mutating func webSocket(
        _ path: String,
        shouldUpgrade: @escaping @Sendable (Request, AppRequestContext) async throws -> Void,
        onUpgrade: @escaping WebSocketDataHandler<WebSocketRouterContext<AppRequestContext>>
    ) {
        self.table.add(.get, path, idempotent: false)
        self.webSockets.append(
            (
                path,
                { router in
                    router.ws(
                        RouterPath(path),
                        shouldUpgrade: { request, context in
                            try await shouldUpgrade(request, context)
                            return .upgrade([:])
                        },
                        onUpgrade: onUpgrade
                    )
                }
            )
        )
    }

    func register(on router: Router<AppRequestContext>, idempotency: any MiddlewareProtocol<Request, Response, AppRequestContext>) {
        for webSocket in self.webSockets { webSocket.register(router) }
        let idempotent = router.group().add(middleware: idempotency)
        for route in self.handlers {
            if route.idempotent {
                idempotent.on(RouterPath(route.path), method: route.method, use: route.handler)
            } else {
                router.on(RouterPath(route.path), method: route.method, use: route.handler)
            }
        }
    }
}
