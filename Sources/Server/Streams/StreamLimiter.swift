import Foundation
internal import HTTPTypes
internal import Identity
internal import Synchronization

/// How many event streams (SSE and WebSocket) one principal may hold open on this replica.
/// A stream holds a connection, a task and a feed subscription for as long as the client
/// likes, and the per-minute request limit only counts its opening, so without this a
/// single key could open streams until the process runs out of them.
public final class StreamLimiter: Sendable {
    let perPrincipal: Int
    private let open = Mutex<[UUID: Int]>([:])

    init(perPrincipal: Int) {
        self.perPrincipal = perPrincipal
    }

    /// A place for one more stream of the caller's, held until the permit is released (or
    /// dropped). Refused as 429 `rate_limited` before the stream starts, with the limit in
    /// the `RateLimit-*` headers and `Retry-After: 1`: a place frees when any stream ends. (A
    /// client that goes away is noticed when a write to it fails: its next event, or the
    /// keep-alive within 15 s; Hummingbird does not cancel a handler when the peer closes.)
    func permit(for caller: Authentication, _ context: AppRequestContext) throws -> StreamPermit {
        guard let permit = self.take(for: caller) else {
            context.trace.rateLimit = RateLimitDecision(allowed: false, limit: self.perPrincipal, remaining: 0, reset: 1, retryAfter: 1)
            throw APIError(
                .tooManyRequests,
                code: "rate_limited",
                message: "this principal already has \(self.perPrincipal) event streams open; close one first"
            )
        }
        return permit
    }

    func take(for caller: Authentication) -> StreamPermit? {
        let principal = caller.principal.id
        let admitted = self.open.withLock { open in
            let count = open[principal, default: 0]
            guard count < self.perPrincipal else { return false }
            open[principal] = count + 1
            return true
        }
        return admitted ? StreamPermit(limiter: self, holder: caller) : nil
    }

    func release(_ principal: UUID) {
        self.open.withLock { open in
            let count = open[principal, default: 0]
            open[principal] = count > 1 ? count - 1 : nil
        }
    }

    func openStreams(of principal: UUID) -> Int {
        self.open.withLock { $0[principal, default: 0] }
    }
}
