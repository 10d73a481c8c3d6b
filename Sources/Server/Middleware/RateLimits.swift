/// Requests per minute, per principal and route group, and per client address for requests
/// without a verified key. Checks have their own, generous group: services call them on
/// every request they serve. Public share links, read without an account, have theirs per
/// client address (and each share its own read limit on top, `ShareLimits`). Event streams
/// are counted while open rather than per minute: `streamsPerPrincipal` on each replica.
public struct RateLimits: Sendable, Equatable {
    public var perPrincipal: Int
    public var checksPerPrincipal: Int
    public var perAnonymousAddress: Int
    public var publicPerAddress: Int
    public var streamsPerPrincipal: Int

    public init(
        perPrincipal: Int = 1_200,
        checksPerPrincipal: Int = 120_000,
        perAnonymousAddress: Int = 60,
        publicPerAddress: Int = 600,
        streamsPerPrincipal: Int = 16
    ) {
        self.perPrincipal = perPrincipal
        self.checksPerPrincipal = checksPerPrincipal
        self.perAnonymousAddress = perAnonymousAddress
        self.publicPerAddress = publicPerAddress
        self.streamsPerPrincipal = streamsPerPrincipal
    }
}
