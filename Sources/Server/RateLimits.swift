/// Requests per minute, per principal and route group, and per client address for requests
/// without a verified key. Checks have their own, generous group: services call them on
/// every request they serve.
public struct RateLimits: Sendable, Equatable {
    public var perPrincipal: Int
    public var checksPerPrincipal: Int
    public var perAnonymousAddress: Int

    public init(perPrincipal: Int = 1_200, checksPerPrincipal: Int = 120_000, perAnonymousAddress: Int = 60) {
        self.perPrincipal = perPrincipal
        self.checksPerPrincipal = checksPerPrincipal
        self.perAnonymousAddress = perAnonymousAddress
    }
}
