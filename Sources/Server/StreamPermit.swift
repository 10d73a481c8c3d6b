import Foundation
internal import Synchronization

/// One open stream's place in its principal's `StreamLimiter` count. Released once, by the
/// stream when it ends, or when the permit is dropped: a response whose body never runs (the
/// client went away first) still gives its place back.
final class StreamPermit: Sendable {
    let limiter: StreamLimiter
    let principal: UUID
    private let released = Atomic<Bool>(false)

    init(limiter: StreamLimiter, principal: UUID) {
        self.limiter = limiter
        self.principal = principal
    }

    func release() {
        guard !self.released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.limiter.release(self.principal)
    }

    deinit {
        self.release()
    }
}
