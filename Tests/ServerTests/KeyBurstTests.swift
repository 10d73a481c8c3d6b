import APIKeys
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import NIOPosix
import Testing

@testable import Server

/// A new key used at once by many requests (a service rolling out a rotated key): one argon2id
/// verification, shared by every request that presented the key while it ran; none of them
/// refused by the anonymous budget meanwhile. A wrong key still costs each request that
/// presents it.
@Suite struct KeyBurstTests {
    static let burst = 24

    /// A key of the admin's, hashed with the production cost (tens of milliseconds), so the
    /// burst's requests arrive while its verification runs.
    static func freshKey(_ app: AuthenticatedApplication) async throws -> APIKey {
        let key = APIKey.generate(id: UUID())
        // Hashed on NIO's blocking pool: tens of milliseconds that would otherwise hold one of
        // the two cooperative threads every other test of the suite runs on.
        let secretHash = try await NIOThreadPool.singleton.runIfActive { PasswordHasher.owasp.hash(key.secret) }
        let record = APIKeyRecord(
            id: key.id,
            principalID: app.adminID,
            organizationID: nil,
            name: "rolled out",
            secretHash: secretHash,
            role: nil,
            scopes: nil,
            status: .active,
            createdAt: Date(),
            expiresAt: nil,
            lastUsedAt: nil
        )
        _ = try await app.service.store.write { transaction in
            try await transaction.insertAPIKey(record)
            return ((), [])
        }
        return key
    }

    static func statuses(_ client: some TestClientProtocol, bearer: String, count: Int) async throws -> [HTTPResponse.Status] {
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for _ in 0..<count {
                group.addTask { try await client.get("/v1/me", bearer: bearer).0 }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    static func verifications(_ client: some TestClientProtocol) async throws -> Int {
        let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        let line = text.split(separator: "\n").first { $0.hasPrefix("authz_key_verifications_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func concurrentFirstUsesShareOneVerificationAndSpendNoAddressBudget() async throws {
        // Fewer anonymous requests a minute than the burst holds: before single flight, all
        // but three of the burst were refused.
        try await AuthenticatedApplication.withApplication(limits: RateLimits(perAnonymousAddress: 3)) { client, app in
            let key = try await Self.freshKey(app)
            let statuses = try await Self.statuses(client, bearer: key.rendered, count: Self.burst)
            #expect(statuses.filter { $0 == .ok }.count == Self.burst, "\(statuses)")
            #expect(try await Self.verifications(client) == 1)
        }
    }

    @Test func theAuthenticatorHashesAKeyOnceHoweverManyAsk() async throws {
        try await AuthenticatedApplication.withApplication { _, app in
            let key = try await Self.freshKey(app)
            let metrics = ServiceMetrics()
            let authenticator = APIKeyAuthenticator(service: app.service, metrics: metrics)
            let principals = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<Self.burst {
                    group.addTask { try await authenticator.authenticate(bearer: key.rendered).principal.id }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(principals == Array(repeating: app.adminID, count: Self.burst))
            #expect(metrics.exposition().contains("authz_key_verifications_total 1\n"))
            #expect(authenticator.verifications.count == 0)
        }
    }

    @Test func aFloodOfWrongKeysIsStillLimited() async throws {
        try await AuthenticatedApplication.withApplication(limits: RateLimits(perAnonymousAddress: 3)) { client, app in
            let key = try await Self.freshKey(app)
            let wrong = APIKey(id: key.id, secret: SecureRandom.bytes(32)).rendered
            let statuses = try await Self.statuses(client, bearer: wrong, count: Self.burst)
            // Each request is charged to the address: three answered (401), the rest refused.
            #expect(statuses.filter { $0 == .unauthorized }.count == 3, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == Self.burst - 3, "\(statuses)")
            #expect(try await Self.verifications(client) <= 3)
        }
    }
}
