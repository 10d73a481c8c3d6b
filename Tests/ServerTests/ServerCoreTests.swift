import Authz
import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import JSON
import Logging
import NIOCore
import Stores
import Testing

@testable import Server

/// A server over a fresh SQLite store and the repository's policy.
func withTestApplication(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-server-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let policies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies").path
    let policy = try PolicyDirectory(path: policies).load()
    let store = try await SQLiteIdentityStore.open(path: folder + "/authz.sqlite")
    let service = try await IdentityService.start(store: store, policy: policy)
    let settings = Settings(host: "127.0.0.1", port: 0, database: .sqlite(path: folder + "/authz.sqlite"), policies: policies, logLevel: .error)
    let app = try await buildApplication(settings: settings, service: service, logger: Logger(label: "test"))
    try await app.test(.router, body)
    try await store.close()
}

/// The envelope as a test reads it.
struct DecodedEnvelope: Decodable {
    struct Meta: Decodable {
        let request_id: String
        let trace_id: String
        let timestamp: String
        let status: Int
        let version: String
        let revision: String
    }
    struct ErrorBody: Decodable {
        let code: String
        let message: String
        let details: [FieldError]?
    }
    let meta: Meta
    let context: [String: String?]
    let error: ErrorBody?
    let links: [String: String]
}

@Suite struct ServerCoreTests {
    @Test func healthAndReadiness() async throws {
        try await withTestApplication { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.headers[.init("X-Request-Id")!].flatMap(UUID.init(uuidString:)) != nil)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"revision":"0","status":"ready"}"#)
            }
        }
    }

    /// Unknown routes answer 404 in the envelope, with every field docs/API.md §1 names (under
    /// `/v1` an anonymous caller gets 401 first: see `AuthenticationTests`).
    @Test func unknownRouteIsAnEnvelope() async throws {
        try await withTestApplication { client in
            try await client.execute(uri: "/nothing/here?x=1", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
                let envelope = try JSONDecoder().decode(DecodedEnvelope.self, from: Data(response.body.readableBytesView))
                #expect(envelope.meta.status == 404 && envelope.meta.version == "1.0" && envelope.meta.revision == "0")
                #expect(envelope.error?.code == "not_found")
                #expect(envelope.context.keys.sorted() == ["organization_id", "principal_id", "team_id"])
                #expect(envelope.links["self"] == "/nothing/here?x=1")
                #expect(ISO8601DateFormatter().date(from: String(envelope.meta.timestamp.prefix(19)) + "Z") != nil)
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(body?["data"] is NSNull)
            }
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await withTestApplication { client in
            try await client.execute(uri: "/readyz", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                let envelope = try JSONDecoder().decode(DecodedEnvelope.self, from: Data(response.body.readableBytesView))
                #expect(envelope.error?.code == "method_not_allowed" && envelope.meta.status == 405)
            }
        }
    }

    @Test func requestAndTraceIDs() async throws {
        try await withTestApplication { client in
            let id = "6f1c1b0e-8d2a-4c1e-9a51-7b9c7a9b2c11"
            try await client.execute(
                uri: "/v1/x",
                method: .get,
                headers: [.init("X-Request-Id")!: id, .init("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]
            ) { response in
                #expect(response.headers[.init("X-Request-Id")!] == id)
                let envelope = try JSONDecoder().decode(DecodedEnvelope.self, from: Data(response.body.readableBytesView))
                #expect(envelope.meta.request_id == id)
                #expect(envelope.meta.trace_id == "4bf92f35-77b3-4da6-a3ce-929d0e0e4736")
            }
            // Not a UUID, not a valid traceparent: both replaced by new ids.
            try await client.execute(
                uri: "/v1/x",
                method: .get,
                headers: [.init("X-Request-Id")!: "abc", .init("traceparent")!: "00-0000-bad"]
            ) { response in
                let envelope = try JSONDecoder().decode(DecodedEnvelope.self, from: Data(response.body.readableBytesView))
                #expect(UUID(uuidString: envelope.meta.request_id) != nil && envelope.meta.request_id != "abc")
                #expect(response.headers[.init("X-Request-Id")!] == envelope.meta.request_id)
                #expect(UUID(uuidString: envelope.meta.trace_id) != nil)
            }
        }
    }
}

@Suite struct APIErrorMappingTests {
    @Test func domainErrorsMapToStableCodes() {
        let cases: [(IdentityError, Int, String)] = [
            (.notFound("team"), 404, "not_found"),
            (.forbidden("no"), 403, "forbidden"),
            (.conflict("dup"), 409, "conflict"),
            (.gone("used"), 410, "gone"),
            (.invalid(field: "slug", message: "bad"), 400, "validation_error"),
            (.unavailable("connection refused to db:5432"), 503, "unavailable"),
        ]
        for (error, status, code) in cases {
            let mapped = APIError(error)
            #expect(Int(mapped.status.code) == status && mapped.code == code)
        }
        // Store details stay in logs, never in the answer.
        #expect(!APIError(IdentityError.unavailable("connection refused to db:5432")).message.contains("5432"))
        #expect(APIError(IdentityError.invalid(field: "slug", message: "bad")).details == [FieldError(field: "slug", message: "bad")])
        struct Surprise: Error {}
        #expect(APIError(Surprise()) == .unexpected)
    }

    /// Decoding failures name the JSON path of the field at fault.
    @Test func decodingErrorsCarryFieldPaths() {
        struct Check: Decodable { let permission: String }
        struct Batch: Decodable { let checks: [Check] }
        func error(_ json: String) -> APIError {
            do {
                _ = try JSONDecoder().decode(Batch.self, from: Data(json.utf8))
                return .unexpected
            } catch {
                return APIError(error)
            }
        }
        #expect(
            error(#"{"checks":[{"permission":"a"},{"permission":"b"},{"permission":"c"},{}]}"#).details == [
                FieldError(field: "checks[3].permission", message: "is required")
            ]
        )
        #expect(error(#"{"checks":[{"permission":7}]}"#).details == [FieldError(field: "checks[0].permission", message: "must be a string")])
        #expect(error(#"{"checks": 5}"#).details.first?.field == "checks")
        #expect(error("{").details == [FieldError(field: "", message: "the body is not valid JSON")])
        #expect(error("{").code == "validation_error" && error("{").status == .badRequest)
    }

    @Test func routeTableTellsWrongMethodFromUnknownPath() {
        var table = RouteTable()
        table.add(.get, "/v1/teams/:id")
        table.add(.delete, "/v1/teams/:id")
        table.add(.put, "/v1/teams/:id/members/:principal_id")
        #expect(table.allowedMethods(for: "/v1/teams/123") == [.get, .delete])
        #expect(table.allowedMethods(for: "/v1/teams/1/members/2") == [.put])
        #expect(table.allowedMethods(for: "/v1/teams") == [])
        #expect(table.allowedMethods(for: "/v1/teams/1/members") == [])
    }

    @Test func traceparentParsing() {
        #expect(
            EnvelopeMiddleware.traceID(fromTraceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.uuidString.lowercased()
                == "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"
        )
        #expect(EnvelopeMiddleware.traceID(fromTraceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(EnvelopeMiddleware.traceID(fromTraceparent: "00-4bf92f3577b34da6a3ce929d0e0e473z-00f067aa0ba902b7-01") == nil)
        #expect(EnvelopeMiddleware.traceID(fromTraceparent: "garbage") == nil)
    }
}
