import Foundation
internal import Synchronization

/// What the request log line needs from deeper in the stack — who the caller turned out to
/// be — filled in by the authentication middleware, read by the envelope middleware.
/// Request contexts are values handed inward, so this one shared box is how news travels out.
public final class RequestTrace: Sendable {
    private let state = Mutex<UUID?>(nil)

    public init() {}

    var principal: UUID? {
        get { self.state.withLock { $0 } }
        set { self.state.withLock { $0 = newValue } }
    }
}
