public import Hummingbird
internal import HTTPTypes
public import Identity

/// Every `/v1` request must carry `Authorization: Bearer <key>`; the checked identity goes
/// into the context for the routes and the evaluator.
public struct AuthenticationMiddleware<Store: IdentityStore>: RouterMiddleware {
    public typealias Context = AppRequestContext

    let authenticator: APIKeyAuthenticator<Store>

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") || request.uri.path == "/v1" else {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized
        }
        var context = context
        let authentication = try await self.authenticator.authenticate(bearer: String(header.dropFirst("Bearer ".count)))
        context.authentication = authentication
        context.trace.principal = authentication.principal.id
        return try await next(request, context)
    }
}
