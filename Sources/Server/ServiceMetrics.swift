import Foundation
internal import Prometheus

/// What `/metrics` reports, in Prometheus' text format: requests and their latency per route,
/// check decisions, verified-key cache hits. One registry per application, used directly
/// rather than through the process-wide metrics system, so two applications (tests) never
/// share counters.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    public init() {}

    func requestFinished(method: String, route: String, status: Int, duration: Duration) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "authz", metricName: "http_requests", unitName: "total", helpText: "HTTP requests by route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        self.registry.makeDurationHistogram(
            descriptor: .init(namespace: "authz", metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request latency by route"),
            labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }

    func checksDecided(allowed: Int, denied: Int) {
        let descriptor = MetricNameDescriptor(namespace: "authz", metricName: "check_decisions", unitName: "total", helpText: "Check decisions")
        if allowed > 0 { self.registry.makeCounter(descriptor: descriptor, labels: [("decision", "allowed")]).increment(by: Int64(allowed)) }
        if denied > 0 { self.registry.makeCounter(descriptor: descriptor, labels: [("decision", "denied")]).increment(by: Int64(denied)) }
    }

    func keyCache(hit: Bool) {
        self.registry.makeCounter(
            descriptor: .init(namespace: "authz", metricName: "key_cache_lookups", unitName: "total", helpText: "Verified-key cache lookups"),
            labels: [("result", hit ? "hit" : "miss")]
        ).increment()
    }

    public func exposition() -> String {
        self.registry.emitToString()
    }
}
