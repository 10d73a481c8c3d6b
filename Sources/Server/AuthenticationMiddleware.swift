public import Hummingbird
internal import HTTPTypes
public import Identity

/// Every `/v1` request must carry `Authorization: Bearer <key>`; the checked identity goes
/// into the context for the routes and the evaluator.
public struct AuthenticationMiddleware<Store: IdentityStore>: RouterMiddleware {
    public typealias Context = AppRequestContext

    let authenticator: APIKeyAuthenticator<Store>
    /// Present when an issuer is configured; bearer tokens shaped like JWTs go to it.
    let jwt: JWTAuthenticator<Store>?

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" else {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized
        }
        var context = context
        let token = String(header.dropFirst("Bearer ".count))
        let authentication: Authentication
        if let known = context.authentication {
            // Found verified by the rate limiter, from this very header.
            authentication = known
            self.authenticator.noteCacheHit(known)
        } else if let jwt = self.jwt, JWTAuthenticator<Store>.looksLikeJWT(token) {
            authentication = try await jwt.authenticate(bearer: token)
        } else {
            authentication = try await self.authenticator.authenticate(bearer: token, client: context.clientAddress)
        }
        context.authentication = authentication
        context.trace.principal = authentication.principal.id
        return try await next(request, context)
    }
}
