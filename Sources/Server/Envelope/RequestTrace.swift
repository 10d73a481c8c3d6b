import Foundation
internal import Synchronization

/// What the request log line needs from deeper in the stack — who the caller turned out to
/// be, how its rate limit stands — filled in by inner middleware, read by the envelope
/// middleware, which answers (and logs) every request.
/// Request contexts are values handed inward, so this one shared box is how news travels out.
public final class RequestTrace: Sendable {
    struct State: Sendable {
        /// Who the caller turned out to be: for the log line, and the audit record of a refusal.
        var authentication: Authentication?
        var rateLimit: RateLimitDecision?
        /// The organization, and team, the request turned out to be about: the envelope's
        /// `context`. Noted only once the caller is known to see it.
        var organizationID: UUID?
        var teamID: UUID?
    }

    private let state = Mutex(State())

    public init() {}

    var authentication: Authentication? {
        get { self.state.withLock { $0.authentication } }
        set { self.state.withLock { $0.authentication = newValue } }
    }

    var place: (organization: UUID?, team: UUID?) {
        get { self.state.withLock { ($0.organizationID, $0.teamID) } }
        set {
            self.state.withLock {
                $0.organizationID = newValue.organization
                $0.teamID = newValue.team
            }
        }
    }

    var rateLimit: RateLimitDecision? {
        get { self.state.withLock { $0.rateLimit } }
        set { self.state.withLock { $0.rateLimit = newValue } }
    }
}
