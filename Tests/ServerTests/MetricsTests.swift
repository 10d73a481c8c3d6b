import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Server

@Suite struct MetricsTests {
    @Test func requestsDecisionsAndCacheHits() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            for _ in 0..<3 { _ = try await client.get("/v1/me", bearer: app.adminKey) }
            _ = try await client.get("/v1/me", bearer: nil)
            let organization = UUID().uuidString
            _ = try await client.post(
                "/v1/authz/check",
                bearer: app.adminKey,
                json: #"{"permission":"organization.read","resource":{"type":"organization","id":"\#(organization)"}}"#
            )
            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/plain") == true)
                return String(buffer: response.body)
            }
            let lines = Set(text.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"authz_http_requests_total{method="GET",route="/v1/me",status="200"} 3"#), "\(text)")
            #expect(lines.contains(#"authz_http_requests_total{method="GET",route="/v1/me",status="401"} 1"#))
            #expect(lines.contains(#"authz_check_decisions_total{decision="denied"} 1"#))
            #expect(lines.contains(#"authz_key_cache_lookups_total{result="miss"} 1"#))
            #expect(lines.contains(#"authz_key_cache_lookups_total{result="hit"} 3"#))
            #expect(lines.contains { $0.hasPrefix(#"authz_http_request_duration_seconds_count{method="GET",route="/v1/me"} 4"#) })
            #expect(!text.contains("azk_") && !text.contains(organization))
        }
    }
}
