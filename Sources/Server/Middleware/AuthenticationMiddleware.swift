internal import HTTPTypes
public import Hummingbird
public import Identity

/// Every `/v1` request passes the credential gate (`CredentialGate`: a rate-limit token, then
/// `Authorization: Bearer <key>`); the checked identity goes into the context for the routes
/// and the evaluator. Public share links spend from their own per-address bucket instead.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let gate: CredentialGate

    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/v1" else {
            return try await next(request, context)
        }
        var context = context
        // Public share links need no credential; they spend from their own per-address bucket.
        if path.hasPrefix("/v1/public/") {
            let decision = self.gate.limiter.take(.publicAddress(context.clientAddress), perMinute: self.gate.limits.publicPerAddress)
            context.trace.rateLimit = decision
            guard decision.allowed else {
                throw APIError(.tooManyRequests, code: "rate_limited", message: "too many requests; retry after \(decision.retryAfter) s")
            }
            return try await next(request, context)
        }
        let trace = context.trace
        let authentication = try await self.gate.authenticate(
            authorization: request.headers.value(of: .authorization),
            checks: path.hasPrefix("/v1/authz/"),
            address: context.clientAddress,
            origin: context.auditContext(),
            charged: { trace.rateLimit = $0 }
        )
        context.authentication = authentication
        context.trace.authentication = authentication
        return try await next(request, context)
    }
}
