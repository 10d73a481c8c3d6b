import Foundation
internal import Identity
internal import Synchronization

/// One open stream's place in its principal's `StreamLimiter` count. Released once, by the
/// stream when it ends, or when the permit is dropped: a response whose body never runs (the
/// client went away first) still gives its place back.
final class StreamPermit: Sendable {
    let limiter: StreamLimiter
    /// The credential the stream was opened with: the stream ends when it stops holding.
    let holder: Authentication
    var principal: UUID { self.holder.principal.id }
    private let released = Atomic<Bool>(false)

    init(limiter: StreamLimiter, holder: Authentication) {
        self.limiter = limiter
        self.holder = holder
    }

    func release() {
        guard !self.released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.limiter.release(self.principal)
    }

    deinit {
        self.release()
    }
}
