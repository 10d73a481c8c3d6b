import Foundation
internal import Prometheus
internal import Synchronization

/// What `/metrics` reports, in Prometheus' text format: requests and their latency per route,
/// check decisions, verified-key cache hits. One registry per application, used directly
/// rather than through the process-wide metrics system, so two applications (tests) never
/// share counters.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// The metrics of each (method, route, status) and of each key-cache result, made once:
    /// the registry's lookup by name and labels cost more than the check being counted.
    private let requestMetrics = Mutex<[RequestKey: (Counter, DurationHistogram)]>([:])
    private let cacheCounters = Mutex<[Bool: Counter]>([:])
    private let decisionCounters = Mutex<[Bool: Counter]>([:])
    /// argon2id verifications of presented API keys: one per key's first use, however many
    /// requests presented it at once.
    private let verifications: Counter

    struct RequestKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    public init() {
        self.verifications = self.registry.makeCounter(
            descriptor: .init(namespace: "authz", metricName: "key_verifications", unitName: "total", helpText: "argon2id verifications of API keys")
        )
    }

    func requestFinished(method: String, route: String, status: Int, duration: Duration) {
        let key = RequestKey(method: method, route: route, status: status)
        let (counter, histogram) = self.requestMetrics.withLock { metrics in
            if let made = metrics[key] { return made }
            let made = (
                self.registry.makeCounter(
                    descriptor: .init(
                        namespace: "authz",
                        metricName: "http_requests",
                        unitName: "total",
                        helpText: "HTTP requests by route and status"
                    ),
                    labels: [("method", method), ("route", route), ("status", String(status))]
                ),
                self.registry.makeDurationHistogram(
                    descriptor: .init(
                        namespace: "authz",
                        metricName: "http_request_duration",
                        unitName: "seconds",
                        helpText: "HTTP request latency by route"
                    ),
                    labels: [("method", method), ("route", route)],
                    buckets: Self.latencyBuckets
                )
            )
            // Routes are the matched patterns, so the keys are few; the bound is a guard.
            if metrics.count < 10_000 { metrics[key] = made }
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    func checksDecided(allowed: Int, denied: Int) {
        for (decision, count) in [(true, allowed), (false, denied)] where count > 0 {
            Self.counter(in: self.decisionCounters, for: decision) {
                self.registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        namespace: "authz",
                        metricName: "check_decisions",
                        unitName: "total",
                        helpText: "Check decisions"
                    ),
                    labels: [("decision", decision ? "allowed" : "denied")]
                )
            }.increment(by: Int64(count))
        }
    }

    func keyCache(hit: Bool) {
        Self.counter(in: self.cacheCounters, for: hit) {
            self.registry.makeCounter(
                descriptor: .init(namespace: "authz", metricName: "key_cache_lookups", unitName: "total", helpText: "Verified-key cache lookups"),
                labels: [("result", hit ? "hit" : "miss")]
            )
        }.increment()
    }

    func keyVerified() {
        self.verifications.increment()
    }

    private static func counter(in counters: borrowing Mutex<[Bool: Counter]>, for key: Bool, make: () -> Counter) -> Counter {
        counters.withLock { counters in
            if let made = counters[key] { return made }
            let made = make()
            counters[key] = made
            return made
        }
    }

    public func exposition() -> String {
        self.registry.emitToString()
    }
}
