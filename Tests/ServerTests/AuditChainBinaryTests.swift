import Foundation
import Identity
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The audit chain through the real binary, on both databases: after concurrent writes, and
/// after the server is killed (SIGKILL) in the middle of them, `authz audit verify` finds it
/// intact — and a restarted server goes on extending it.
@Suite(.serialized) struct AuditChainBinaryTests {
    static var databases: [String] { ["sqlite"] + (ReplicaRevocationTests.serverURL == nil ? [] : ["postgres"]) }

    @Test(.enabled(if: BinaryTests.available), arguments: databases)
    func theChainSurvivesConcurrentWritesAndAKill(_ database: String) async throws {
        try await Self.withDatabase(database) { url in
            let key = "audit-chain-bootstrap-key-\(UUID().uuidString)"
            let (process, api) = try await BinaryTests.launch(database: url, key: key)
            // Eight writers at once, each an organization and five teams one after another.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask { try await Self.write(api, key, writer: "w\(writer)") }
                }
                try await group.waitForAll()
            }
            // Writers again, and the server killed under them.
            // Each writes until the server is gone, so the kill lands between and inside writes.
            let writers = (0..<8).map { writer in
                Task {
                    for round in 0..<10_000 {
                        do { try await Self.write(api, key, writer: "k\(writer)-\(round)") } catch { return }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            for writer in writers { await writer.value }
            var (status, report) = try EndToEndTests.runCommand(["audit", "verify", "--database-url", url], policies: false)
            #expect(status == 0 && report.contains("audit log intact"), "after kill -9: \(report)")

            // Restarted, it extends the same chains.
            let (restarted, again) = try await BinaryTests.launch(database: url, key: key)
            try await Self.write(again, key, writer: "after")
            restarted.terminate()
            restarted.waitUntilExit()
            (status, report) = try EndToEndTests.runCommand(["audit", "verify", "--database-url", url], policies: false)
            #expect(status == 0 && report.contains("audit log intact"), "after restart: \(report)")
        }
    }

    /// One organization and five teams, each request after the one before.
    static func write(_ api: URL, _ key: String, writer: String) async throws {
        let (status, body) = try await EndToEndTests.call(
            "POST",
            api.appendingPathComponent("v1/organizations"),
            key: key,
            json: #"{"name":"Org \#(writer) \#(UUID().uuidString.prefix(6))"}"#
        )
        guard status == 201, let organization = (body["data"] as? [String: Any])?["id"] as? String else { return }
        for team in 0..<5 {
            _ = try await EndToEndTests.call(
                "POST",
                api.appendingPathComponent("v1/teams"),
                key: key,
                json: #"{"organization_id":"\#(organization)","name":"team \#(team)"}"#
            )
        }
    }

    /// A fresh SQLite file, or a fresh database on the test PostgreSQL server, removed after.
    static func withDatabase(_ kind: String, _ body: (String) async throws -> Void) async throws {
        if kind == "sqlite" {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-chain-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body("sqlite://\(folder.path)/authz.sqlite")
            return
        }
        // The replica set's fresh database, dropped after; the binary is its only client.
        try await ReplicaSet.with { set in
            let credentials = set.password.map { "\(set.username):\($0)" } ?? set.username
            try await body("postgres://\(credentials)@\(set.host):\(set.port)/\(set.name)")
        }
    }
}
