/// The password lockout and read limits of public shares (docs/API.md §5 defaults). NIST
/// 800-63B caps consecutive failures at 100; these stay well under it.
public struct ShareLimits: Hashable, Sendable {
    /// Wrong passwords from one client within `clientWindow` that lock that client out of
    /// the share for `clientLock`.
    public var clientFailures: Int
    public var clientWindow: Duration
    public var clientLock: Duration
    /// Wrong passwords on one share within `shareWindow` that lock it for everyone for
    /// `shareLock`.
    public var shareFailures: Int
    public var shareWindow: Duration
    public var shareLock: Duration
    /// Reads per minute per client per share.
    public var readsPerMinute: Int
    /// How long a refusal for a lock waits before answering (about one argon2id verify here),
    /// so it takes as long as a wrong password without spending any CPU on it.
    public var lockedDelay: Duration

    public init(
        clientFailures: Int = 5,
        clientWindow: Duration = .seconds(15 * 60),
        clientLock: Duration = .seconds(15 * 60),
        shareFailures: Int = 50,
        shareWindow: Duration = .seconds(3600),
        shareLock: Duration = .seconds(3600),
        readsPerMinute: Int = 60,
        lockedDelay: Duration = .milliseconds(50)
    ) {
        self.clientFailures = clientFailures
        self.clientWindow = clientWindow
        self.clientLock = clientLock
        self.shareFailures = shareFailures
        self.shareWindow = shareWindow
        self.shareLock = shareLock
        self.readsPerMinute = readsPerMinute
        self.lockedDelay = lockedDelay
    }
}
