import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import Workloads

@testable import Server

@Suite struct RateLimitTests {
    /// A bucket holds a minute's worth and refills continuously (time injected, no sleeping).
    @Test func tokenBucket() {
        let limiter = RateLimiter<String>()
        let start = ContinuousClock.now
        let first = limiter.take("k", perMinute: 3, at: start)
        #expect(first == RateLimitDecision(allowed: true, limit: 3, remaining: 2, reset: 20, retryAfter: 0))
        _ = limiter.take("k", perMinute: 3, at: start)
        #expect(limiter.take("k", perMinute: 3, at: start).remaining == 0)
        let refused = limiter.take("k", perMinute: 3, at: start)
        #expect(!refused.allowed && refused.retryAfter == 20 && refused.reset == 60)
        #expect(limiter.take("k", perMinute: 3, at: start + .seconds(20)).allowed)
        #expect(!limiter.take("k", perMinute: 3, at: start + .seconds(21)).allowed)
        #expect(limiter.take("other", perMinute: 3, at: start).allowed)
    }

    /// docs/API.md §5's share read limit, at one instant: 60 reads, then the 61st waits a second
    /// (the route test runs a smaller limit, since real reads take real time to send).
    @Test func defaultShareReadLimit() {
        let limiter = RateLimiter<String>()
        let start = ContinuousClock.now
        let limit = Workloads.ShareLimits().readsPerMinute
        #expect(limit == 60)
        #expect((0..<60).allSatisfy { _ in limiter.take("share", perMinute: limit, at: start).allowed })
        let refused = limiter.take("share", perMinute: limit, at: start)
        #expect(!refused.allowed && refused.retryAfter == 1 && refused.limit == 60 && refused.remaining == 0)
        #expect(limiter.take("share", perMinute: limit, at: start + .seconds(1)).allowed)
    }

    @Test func headersOnEveryV1AnswerAnd429() async throws {
        try await AuthenticatedApplication.withApplication(limits: RateLimits(perPrincipal: 5, checksPerPrincipal: 100, perAnonymousAddress: 3)) {
            client,
            app in
            // The first use of the key counts against the address (it is not verified yet), and,
            // once verified, against its principal too, whose limit it shows like every later
            // request of the key.
            var headers: HTTPFields = [:]
            for expected in [4, 3, 2] {
                headers = try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Bearer \(app.adminKey)"]) { response in
                    #expect(response.status == .ok)
                    return response.headers
                }
                #expect(headers[HTTPField.Name("RateLimit-Remaining")!] == String(expected))
            }
            #expect(headers[HTTPField.Name("RateLimit-Limit")!] == "5" && headers[HTTPField.Name("RateLimit-Reset")!] != nil)
            // Anonymous guesses run out after the address's limit, before any hashing...
            for _ in 0..<2 {
                #expect(try await client.get("/v1/me", bearer: "azk_guess").0 == .unauthorized)
            }
            try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Bearer azk_guess"]) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 } == true)
                #expect(response.headers[HTTPField.Name("RateLimit-Remaining")!] == "0")
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect((body?["error"] as? [String: Any])?["code"] as? String == "rate_limited")
            }
            // ...while the verified key keeps its own budget, and checks have theirs.
            #expect(try await client.get("/v1/me", bearer: app.adminKey).0 == .ok)
            let (status, _) = try await client.post(
                "/v1/authz/check",
                bearer: app.adminKey,
                json: #"{"permission":"organization.read","resource":{"type":"organization","id":"\#(UUID().uuidString)"}}"#
            )
            #expect(status == .ok)
            // System routes are not limited.
            for _ in 0..<10 { try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) } }
        }
    }
}
