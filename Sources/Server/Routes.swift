internal import Hummingbird

/// The routes of every controller, collected before any is registered: the envelope
/// middleware needs the complete route table (to tell 405 from 404), and Hummingbird applies
/// router middleware only to routes added after it. So: collect, add the middleware, then
/// register — and the table and the router can never disagree.
struct Routes {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    private(set) var table = RouteTable()
    private var handlers: [(method: HTTPRequest.Method, path: String, handler: Handler)] = []

    mutating func on<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method, _ path: String,
        use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        self.table.add(method, path)
        self.handlers.append((method, path, { request, context in try await handler(request, context).response(from: request, context: context) }))
    }

    func register(on router: Router<AppRequestContext>) {
        for route in self.handlers {
            router.on(RouterPath(route.path), method: route.method, use: route.handler)
        }
    }
}
