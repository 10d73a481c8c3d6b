import APIKeys
import Authz
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Logging
import NIOCore
import Stores
import Testing
import Workloads

@testable import Server

/// A server over a fresh SQLite store, bootstrapped with a generated platform-admin key.
struct AuthenticatedApplication {
    let folder: String
    let service: IdentityService
    let adminKey: String
    let adminID: UUID

    /// A live test's client connects before the test's own setup (tenants, keys hashed with
    /// argon2id, finished jobs), which on a loaded machine outlasts the default ten-second
    /// head deadline, and the server rightly closes the silent connection; tests of those
    /// limits pass their own.
    static let patientConnections = ConnectionLimits(idleTimeout: .seconds(300), headTimeout: .seconds(300))

    static func withApplication(
        logger: Logger = Logger(label: "test"),
        limits: RateLimits = RateLimits(),
        jwt: JWTSettings? = nil,
        live: Bool = false,
        trustedProxies: Set<String> = [],
        shareLimits: ShareLimits = ShareLimits(),
        connectionLimits: ConnectionLimits = Self.patientConnections,
        grpcPort: Int? = nil,
        _ body: @Sendable (any TestClientProtocol, AuthenticatedApplication) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-auth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("policies").path
        let store = try await SQLiteIdentityStore.open(path: folder + "/authz.sqlite")
        let service = try await IdentityService.start(store: store, policy: try PolicyDirectory(path: policies).load())
        let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
        let bootstrap = try #require(try await service.bootstrap(configuredKey: nil, hasher: hasher))
        let settings = Settings(
            host: "127.0.0.1",
            port: 0,
            database: .sqlite(path: folder + "/authz.sqlite"),
            policies: policies,
            logLevel: .error,
            rateLimits: limits,
            jwt: jwt,
            trustedProxies: trustedProxies,
            shareLimits: shareLimits,
            connectionLimits: connectionLimits,
            grpc: grpcPort.map { GRPCSettings(port: $0) }
        )
        let app = try await buildApplication(settings: settings, service: service, logger: logger, hasher: hasher)
        let context = AuthenticatedApplication(
            folder: folder,
            service: service,
            adminKey: try #require(bootstrap.generated),
            adminID: bootstrap.principal.id
        )
        // Live: a real server on a free port, with its services (the job runner) running.
        try await app.test(live ? .live : .router) { client in try await body(client, context) }
        try await store.close()
    }
}

extension TestClientProtocol {
    func get(_ uri: String, bearer: String?) async throws -> (HTTPResponse.Status, DecodedEnvelope, [String: Any]) {
        var headers = HTTPFields()
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await self.execute(uri: uri, method: .get, headers: headers) { response in
            let bytes = Data(response.body.readableBytesView)
            let raw = try JSONSerialization.jsonObject(with: bytes) as? [String: Any] ?? [:]
            return (response.status, try JSONDecoder().decode(DecodedEnvelope.self, from: bytes), raw)
        }
    }
}

@Suite struct AuthenticationTests {
    @Test func meWithTheBootstrapKey() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let (status, envelope, raw) = try await client.get("/v1/me", bearer: app.adminKey)
            #expect(status == .ok && envelope.error == nil)
            let data = try #require(raw["data"] as? [String: Any])
            #expect(data["id"] as? String == app.adminID.uuidString.lowercased())
            #expect(data["kind"] as? String == "user" && data["platform_admin"] as? Bool == true)
            #expect(data.keys.sorted() == ["created_at", "email", "id", "kind", "name", "platform_admin"])
            #expect(envelope.context["principal_id"] == app.adminID.uuidString.lowercased())
        }
    }

    /// Missing, malformed, unknown, mistyped, disabled, expired: the same 401, same body.
    @Test func everyBadCredentialIsTheSame401() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            let key = try #require(APIKey(parsing: app.adminKey))
            let otherSecret = APIKey(id: key.id, secret: SecureRandom.bytes(32)).rendered
            let unknown = APIKey.generate(id: UUID()).rendered
            let disabledID = UUID()
            let expiredID = UUID()
            let disabled = APIKey.generate(id: disabledID)
            let expired = APIKey.generate(id: expiredID)
            let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
            let adminID = app.adminID
            let records = [(disabled, APIKeyStatus.disabled, nil as Date?), (expired, APIKeyStatus.active, Date().addingTimeInterval(-1))].map {
                key,
                status,
                expiry in
                APIKeyRecord(
                    id: key.id,
                    principalID: adminID,
                    organizationID: nil,
                    name: "t",
                    secretHash: hasher.hash(key.secret),
                    role: nil,
                    scopes: nil,
                    status: status,
                    createdAt: Date(),
                    expiresAt: expiry,
                    lastUsedAt: nil
                )
            }
            _ = try await app.service.store.write { transaction in
                for record in records { try await transaction.insertAPIKey(record) }
                return ((), [])
            }
            for bearer in [
                nil, "", "azk_", otherSecret, unknown, String(app.adminKey.dropLast()), "x" + app.adminKey, disabled.rendered, expired.rendered,
                "a-long-string-that-is-no-configured-bootstrap-key",
            ] {
                let (status, envelope, raw) = try await client.get("/v1/me", bearer: bearer)
                #expect(status == .unauthorized, "\(String(describing: bearer))")
                #expect(envelope.error?.code == "unauthorized" && envelope.error?.message == "missing or invalid credentials")
                #expect(raw["data"] is NSNull)
            }
            // Another scheme is no credential either.
            try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Basic \(app.adminKey)"]) { response in
                #expect(response.status == .unauthorized)
            }
            // Unknown /v1 paths are not revealed to anonymous callers.
            #expect(try await client.get("/v1/no-such-thing", bearer: nil).0 == .unauthorized)
            #expect(try await client.get("/v1/no-such-thing", bearer: app.adminKey).0 == .notFound)
        }
    }

    /// Only the first use of a key pays for argon2id; revoking or disabling evicts it.
    @Test func verifiedKeyCache() async throws {
        try await AuthenticatedApplication.withApplication { _, app in
            let cache = VerifiedKeyCache<Authentication>()
            let authenticator = APIKeyAuthenticator(service: app.service, cache: cache)
            let first = try await authenticator.authenticate(bearer: app.adminKey)
            #expect(first.principal.id == app.adminID && cache.count == 1)
            let digest = cache.digest(of: app.adminKey)
            #expect(cache.value(for: digest, at: Date())?.keyID == first.keyID)
            #expect(cache.value(for: digest, at: Date().addingTimeInterval(cache.lifetime + 1)) == nil)
            _ = try await authenticator.authenticate(bearer: app.adminKey)
            cache.evict(keyID: first.keyID)
            #expect(cache.count == 0)
        }
    }

    /// The key's secret reaches neither the database file nor its WAL: only `$argon2id$`.
    @Test func secretNeverReachesTheDatabase() async throws {
        try await AuthenticatedApplication.withApplication { client, app in
            _ = try await client.get("/v1/me", bearer: app.adminKey)
            let secretPart = String(app.adminKey.split(separator: "_").last!.prefix(52))
            var sawHash = false
            for file in try FileManager.default.contentsOfDirectory(atPath: app.folder) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: app.folder).appendingPathComponent(file))
                #expect(bytes.range(of: Data(secretPart.utf8)) == nil, "\(file) holds the secret")
                #expect(bytes.range(of: Data(app.adminKey.utf8)) == nil)
                sawHash = sawHash || bytes.range(of: Data("$argon2id$".utf8)) != nil
            }
            #expect(sawHash)
        }
    }
}
