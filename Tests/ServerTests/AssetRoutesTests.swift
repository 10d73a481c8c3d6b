import Foundation
import HTTPTypes
import HummingbirdTesting
import JSON
import NIOCore
import Testing

@testable import Server

/// `/v1/assets` (docs/API.md §5): raw uploads with their content type, downloads with `ETag` and
/// `If-None-Match`, the 25 MiB limit, deletion, and who may do what.
@Suite struct AssetRoutesTests {
    @Test func uploadDownloadDelete() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let bytes = ByteBuffer(string: "{\"report\": true}")
            let query = "organization_id=\(tenant.organization)&team_id=\(tenant.team)&name=report.json"
            let (status, created) = try await client.execute(
                uri: "/v1/assets?\(query)",
                method: .post,
                headers: [.authorization: "Bearer \(tenant.memberKey)", .contentType: "application/json"],
                body: bytes
            ) { response in
                (response.status, try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:])
            }
            #expect(status == .created)
            let asset = data(created)
            let id = try #require(asset["id"] as? String)
            let sha = try #require(asset["sha256"] as? String)
            #expect(
                asset["size"] as? Int == 16 && asset["content_type"] as? String == "application/json" && asset["name"] as? String == "report.json"
            )
            #expect(sha.count == 64 && asset["team_id"] as? String == tenant.team.text)

            // The bytes come back as they went, with the content type and the ETag.
            let (got, headers, body) = try await client.execute(
                uri: "/v1/assets/\(id)",
                method: .get,
                headers: [.authorization: "Bearer \(tenant.viewerKey)"]
            ) {
                ($0.status, $0.headers, String(buffer: $0.body))
            }
            #expect(got == .ok && body == "{\"report\": true}" && headers[.contentType] == "application/json" && headers[.eTag] == "\"\(sha)\"")
            #expect(headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            let notModified = try await client.execute(
                uri: "/v1/assets/\(id)",
                method: .get,
                headers: [.authorization: "Bearer \(tenant.viewerKey)", .ifNoneMatch: "\"\(sha)\""]
            ) { ($0.status, $0.body.readableBytes) }
            #expect(notModified.0 == .notModified && notModified.1 == 0)
            let changed = try await client.execute(
                uri: "/v1/assets/\(id)",
                method: .get,
                headers: [.authorization: "Bearer \(tenant.viewerKey)", .ifNoneMatch: "\"other\""]
            ) { $0.status }
            #expect(changed == .ok)

            // Another tenant sees nothing; a viewer may neither upload nor delete.
            #expect(try await client.send(.get, "/v1/assets/\(id)", bearer: tenant.outsiderKey).0 == .notFound)
            #expect(try await client.send(.delete, "/v1/assets/\(id)", bearer: tenant.outsiderKey).0 == .notFound)
            let refused = try await client.execute(
                uri: "/v1/assets?\(query)",
                method: .post,
                headers: [.authorization: "Bearer \(tenant.viewerKey)"],
                body: bytes
            ) { $0.status }
            #expect(refused == .forbidden)
            #expect(try await client.send(.delete, "/v1/assets/\(id)", bearer: tenant.viewerKey).0 == .forbidden)
            // asset.delete is an admin's.
            let (deleted, _, _) = try await client.send(.delete, "/v1/assets/\(id)", bearer: app.adminKey)
            #expect(deleted == .ok)
            #expect(try await client.send(.get, "/v1/assets/\(id)", bearer: app.adminKey).0 == .notFound)
        }
    }

    @Test func queryAndLimits() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let tenant = try await Tenant.make(app)
            let (status, _, body) = try await client.send(.post, "/v1/assets?organization_id=nope&team_id=x", bearer: app.adminKey)
            #expect(status == .badRequest)
            #expect(details(body) == ["organization_id: must be a UUID", "team_id: must be a UUID", "name: is required"])
            // 25 MiB and one byte: 413, and nothing stored.
            let big = ByteBuffer(repeating: 7, count: 25 << 20 + 1)
            let (tooLarge, refusal) = try await client.execute(
                uri: "/v1/assets?organization_id=\(tenant.organization)&name=big.bin",
                method: .post,
                headers: [.authorization: "Bearer \(app.adminKey)"],
                body: big
            ) { ($0.status, try JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any] ?? [:]) }
            #expect(tooLarge == .contentTooLarge && errorCode(refusal) == "payload_too_large")
            // Exactly 25 MiB is accepted.
            let limit = ByteBuffer(repeating: 7, count: 25 << 20)
            let accepted = try await client.execute(
                uri: "/v1/assets?organization_id=\(tenant.organization)&name=limit.bin",
                method: .post,
                headers: [.authorization: "Bearer \(app.adminKey)"],
                body: limit
            ) { $0.status }
            #expect(accepted == .created)
        }
    }
}
