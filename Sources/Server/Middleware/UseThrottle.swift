public import Foundation
internal import Synchronization

/// Lets something happen at most once per interval per key: `last_used_at` is written at most
/// once a minute per API key (the hot path pays one uncontended lock, never a store write),
/// and expired idempotency records are purged at most once an hour.
public final class UseThrottle: Sendable {
    private let recorded = Mutex<[UUID: Date]>([:])
    let interval: TimeInterval

    public init(interval: TimeInterval) {
        self.interval = interval
    }

    /// True when the event at `now` should happen (and is from now on taken as happened).
    func isDue(_ key: UUID, at now: Date) -> Bool {
        self.recorded.withLock { recorded in
            if let last = recorded[key], now.timeIntervalSince(last) < self.interval { return false }
            if recorded.count >= 100_000 { recorded.removeAll(keepingCapacity: true) }
            recorded[key] = now
            return true
        }
    }
}
