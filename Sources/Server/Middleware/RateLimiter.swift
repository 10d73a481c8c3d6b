import Foundation
internal import Synchronization

/// Token buckets: each holds a minute's worth of requests and refills continuously, so a
/// client may burst up to its limit and then proceeds at its rate. Bounded: past `capacity`
/// buckets, full (idle) ones are dropped first.
final class RateLimiter<Key: Hashable & Sendable>: Sendable {
    struct Bucket: Sendable {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[Key: Bucket]>([:])
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func take(_ key: Key, perMinute limit: Int, at now: ContinuousClock.Instant = .now) -> RateLimitDecision {
        let rate = Double(limit) / 60
        return self.buckets.withLock { buckets in
            if buckets.count >= self.capacity, buckets[key] == nil {
                Self.prune(&buckets, at: now, perSecond: rate, limit: limit)
            }
            var bucket = buckets[key] ?? Bucket(tokens: Double(limit), updated: now)
            let elapsed = Double((now - bucket.updated).components.seconds) + Double((now - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(Double(limit), bucket.tokens + max(0, elapsed) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return RateLimitDecision(
                allowed: allowed,
                limit: limit,
                remaining: Int(bucket.tokens.rounded(.down)),
                reset: Int(((Double(limit) - bucket.tokens) / rate).rounded(.up)),
                retryAfter: allowed ? 0 : max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            )
        }
    }

    private static func prune(_ buckets: inout [Key: Bucket], at now: ContinuousClock.Instant, perSecond rate: Double, limit: Int) {
        buckets = buckets.filter { _, bucket in
            let idle = Double((now - bucket.updated).components.seconds)
            return bucket.tokens + idle * rate < Double(limit)
        }
        if buckets.count >= 100_000 { buckets.removeAll(keepingCapacity: true) }
    }
}
