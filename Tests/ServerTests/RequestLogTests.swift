import Foundation
import HTTPTypes
import HummingbirdTesting
import Identity
import Logging
import Synchronization
import Testing

@testable import Server

/// Keeps every log record, to read back what a request logged.
final class CapturedLogs: Sendable {
    let records = Mutex<[(message: String, metadata: [String: String])]>([])

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = self.metadata
            all.merge(event.metadata ?? [:]) { _, new in new }
            let flattened = all.mapValues { "\($0)" }
            self.sink.records.withLock { $0.append(("\(event.message)", flattened)) }
        }
    }
}

@Suite struct RequestLogTests {
    @Test func oneLinePerRequestWithoutSecrets() async throws {
        let logs = CapturedLogs()
        try await AuthenticatedApplication.withApplication(logger: Logger(label: "test") { _ in CapturedLogs.Handler(sink: logs) }) { client, app in
            let id = "6f1c1b0e-8d2a-4c1e-9a51-7b9c7a9b2c11"
            try await client.execute(uri: "/v1/me", method: .get, headers: [.authorization: "Bearer \(app.adminKey)", .init("X-Request-Id")!: id]) {
                _ in
            }
            try await client.execute(
                uri: "/v1/organizations/\(UUID().uuidString)?cursor=secret-cursor",
                method: .get,
                headers: [.authorization: "Bearer \(app.adminKey)x"]
            ) { _ in }
        }
        let lines = logs.records.withLock { $0 }.filter { $0.message == "request" }
        #expect(lines.count == 2)
        let me = try #require(lines.first)
        #expect(me.metadata["request_id"] == "6f1c1b0e-8d2a-4c1e-9a51-7b9c7a9b2c11")
        #expect(me.metadata["route"] == "/v1/me" && me.metadata["status"] == "200" && me.metadata["method"] == "GET")
        #expect(me.metadata["principal"].flatMap(UUID.init(uuidString:)) != nil)
        #expect(me.metadata["duration_ms"].flatMap(Double.init) != nil)
        let refused = lines[1]
        #expect(refused.metadata["status"] == "401" && refused.metadata["principal"] == "-")
        #expect(refused.metadata["route"] == "/v1/organizations/{id}")
        // Nothing secret or client-chosen in any record: no key, no cursor.
        let everything = logs.records.withLock { $0 }.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains("azk_") && !everything.contains("secret-cursor") && !everything.contains("argon2"))
    }

    /// A failed request (here a revision that never arrives: 503 after the 2 s wait) logs its
    /// error under the same lower-case request id as its request line.
    @Test func failureLinesCarryTheRequestID() async throws {
        let logs = CapturedLogs()
        try await AuthenticatedApplication.withApplication(logger: Logger(label: "test") { _ in CapturedLogs.Handler(sink: logs) }) { client, app in
            let (status, _) = try await client.post(
                "/v1/authz/check",
                bearer: app.adminKey,
                json:
                    #"{"permission":"organization.read","resource":{"type":"organization","id":"\#(UUID())"},"consistency":{"min_revision":"999999999"}}"#
            )
            #expect(status == .serviceUnavailable)
        }
        let records = logs.records.withLock { $0 }
        let failure = try #require(records.first { $0.message == "request failed" })
        let line = try #require(records.first { $0.message == "request" && $0.metadata["status"] == "503" })
        #expect(failure.metadata["request_id"] == line.metadata["request_id"])
        #expect(failure.metadata["request_id"] == failure.metadata["request_id"]?.lowercased())
    }

    /// Creating, rotating and using keys logs nothing of them: not the new key, not its secret,
    /// not its hash, not the idempotency key.
    @Test func keyLifecycleLogsNoSecret() async throws {
        let logs = CapturedLogs()
        let issued = Mutex<[String]>([])
        try await AuthenticatedApplication.withApplication(logger: Logger(label: "test") { _ in CapturedLogs.Handler(sink: logs) }) { client, app in
            let (_, _, created) = try await client.send(
                .post,
                "/v1/api-keys",
                bearer: app.adminKey,
                json: #"{"name": "ci"}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "idem-secret-123"]
            )
            let key = try #require(data(created)["key"] as? String)
            let id = try #require(data(created)["id"] as? String)
            let (_, _, rotated) = try await client.send(.post, "/v1/api-keys/\(id)/rotate", bearer: key)
            let new = try #require(data(rotated)["key"] as? String)
            _ = try await client.send(.get, "/v1/me", bearer: new)
            _ = try await client.send(.get, "/v1/me", bearer: key)  // refused: rotated with no grace
            issued.withLock { $0 = [key, new, app.adminKey] }
        }
        let everything = logs.records.withLock { $0 }.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(logs.records.withLock { $0 }.count >= 5)
        for key in issued.withLock({ $0 }) {
            #expect(!everything.contains(String(key.split(separator: "_").last!.prefix(16))))
        }
        #expect(!everything.contains("argon2") && !everything.contains("idem-secret-123"))
    }
}
