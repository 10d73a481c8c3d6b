import Foundation
import NIOCore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `authz serve`, as a user meets it: every route the server documents answers a
/// valid caller with something other than "no such resource", and the connection cap holds.
@Suite struct BinaryTests {
    static var binary: URL { EndToEndTests.root.appendingPathComponent(".build/debug/authz") }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary.path) || ProcessInfo.processInfo.environment["CI"] != nil }

    /// A server on a free port over a fresh SQLite file, stopped (SIGTERM) when `body` ends.
    static func withServer<Result>(_ extra: [String] = [], _ body: (URL, String) async throws -> Result) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-binary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = "binary-test-bootstrap-key-\(UUID().uuidString)"
        let (process, api) = try await Self.launch(database: "sqlite://\(folder.path)/authz.sqlite", key: key, extra)
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        return try await body(api, key)
    }

    /// `authz serve` on a free port over `database`, once `/readyz` answers. The caller stops it.
    static func launch(database: String, key: String, _ extra: [String] = [], environment: [String: String] = [:]) async throws -> (Process, URL) {
        let port = try EndToEndTests.freePort()
        let process = Process()
        process.executableURL = Self.binary
        process.arguments =
            [
                "serve", "--port", String(port), "--grpc-port", String(try EndToEndTests.freePort()), "--policies",
                EndToEndTests.root.appendingPathComponent("policies").path,
                "--database-url", database, "--log-level", "warning",
            ] + extra
        process.environment = ["AUTHZ_BOOTSTRAP_KEY": key, "PATH": "/usr/bin:/bin"].merging(environment) { _, given in given }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let api = URL(string: "http://127.0.0.1:\(port)")!
        // Asked on a connection closed after the answer: a kept-alive one would hold a place
        // of `--max-connections` for as long as the client pool liked.
        var ready = false
        for _ in 0..<100 where !ready {
            if let probe = try? await ConnectionLimitTests.RawConnection(port: port),
                let answer = try? await probe.exchange("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", within: .seconds(2))
            {
                ready = answer.text.hasPrefix("HTTP/1.1 200")
            }
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        if !ready {
            process.terminate()
            process.waitUntilExit()
        }
        try #require(ready)
        return (process, api)
    }

    static func post(_ api: URL, _ path: String, _ key: String, _ json: String) async throws -> [String: Any] {
        let (status, body) = try await EndToEndTests.call("POST", api.appendingPathComponent(path), key: key, json: json)
        #expect((200..<300).contains(status), "\(path): \(status) \(body)")
        return body["data"] as? [String: Any] ?? [:]
    }

    @Test(.enabled(if: available))
    func everyDocumentedRouteReachesItsResource() async throws {
        try await Self.withServer { api, key in
            let organization = try #require(try await Self.post(api, "v1/organizations", key, #"{"name":"Walk"}"#)["id"] as? String)
            let team = try #require(
                try await Self.post(api, "v1/teams", key, #"{"organization_id":"\#(organization)","name":"Red"}"#)["id"] as? String
            )
            let job = try #require(
                try await Self.post(
                    api,
                    "v1/jobs",
                    key,
                    #"{"organization_id":"\#(organization)","team_id":"\#(team)","provider":"echo","input":{"text":"x"}}"#
                )["id"] as? String
            )
            let definition = try #require(
                try await Self.post(
                    api,
                    "v1/workflow-definitions",
                    key,
                    #"{"organization_id":"\#(organization)","name":"w","nodes":[{"id":"a","provider":"echo","input":{"text":"x"}}]}"#
                )["id"] as? String
            )
            let run = try #require(try await Self.post(api, "v1/workflow-runs", key, #"{"definition_id":"\#(definition)"}"#)["id"] as? String)
            let share = try await Self.post(api, "v1/shares", key, #"{"resource":{"type":"job","id":"\#(job)"}}"#)
            let serviceKey = try await Self.post(api, "v1/api-keys", key, #"{"name":"svc","organization_id":"\#(organization)"}"#)
            // The key the api-keys routes rotate, disable and revoke: not the member's, whose
            // last revoked key would take it out of the organization.
            let spareKey = try await Self.post(api, "v1/api-keys", key, #"{"name":"spare"}"#)
            let invitation = try #require(
                try await Self.post(api, "v1/invitations", key, #"{"organization_id":"\#(organization)","email":"a@example.com","role":"viewer"}"#)[
                    "id"
                ] as? String
            )
            var request = URLRequest(
                url: api.appendingPathComponent("v1/assets").appending(queryItems: [
                    .init(name: "organization_id", value: organization), .init(name: "name", value: "a.txt"),
                ])
            )
            request.httpMethod = "POST"
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data("bytes".utf8)
            let (assetData, _) = try await URLSession.shared.data(for: request)
            let asset = try #require(
                ((try JSONSerialization.jsonObject(with: assetData) as? [String: Any])?["data"] as? [String: Any])?["id"] as? String
            )
            let member = try #require(serviceKey["principal_id"] as? String)
            let (joined, _) = try await EndToEndTests.call(
                "PUT",
                api.appendingPathComponent("v1/teams/\(team)/members/\(member)"),
                key: key,
                json: #"{"role":"member"}"#
            )
            #expect(joined == 200)
            let ids: [String: String] = [
                "organizations": organization, "teams": team, "jobs": job, "workflow-definitions": definition, "workflow-runs": run,
                "shares": share["id"] as? String ?? "", "api-keys": spareKey["id"] as? String ?? "", "invitations": invitation, "assets": asset,
            ]

            let (_, document) = try await EndToEndTests.call("GET", api.appendingPathComponent("openapi.json"), key: nil)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(paths.count > 40)
            // Reads first, then writes, deletions last: each route meets the resources whole.
            let order = ["get": 0, "post": 1, "put": 1, "patch": 1, "delete": 2]
            // A team membership goes before the organization membership it depends on, and the
            // organization itself goes last.
            func rank(_ path: String, _ step: Int) -> Int {
                guard step == 2 else { return step * 2 }
                if path == "/v1/organizations/{id}" { return 5 }
                return path.hasPrefix("/v1/teams/{id}/members") ? 3 : 4
            }
            let operations = paths.flatMap { path, methods in
                methods.keys.compactMap { method in order[method].map { (path, method, rank(path, $0)) } }
            }
            .sorted { ($0.2, $0.0, $0.1) < ($1.2, $1.0, $1.1) }
            var walked = 0
            for (path, method, _) in operations {
                // Streams never end by themselves; their routes are tested where they are built.
                if path.hasSuffix("/events") || path.hasSuffix("/stream") || path.hasSuffix("/ws") { continue }
                let segments = path.split(separator: "/").map(String.init)
                var concrete: [String] = []
                for (index, segment) in segments.enumerated() {
                    switch segment {
                    case "{id}": concrete.append(ids[segments[index - 1]] ?? "")
                    case "{principal_id}": concrete.append(member)
                    case "{token}": concrete.append(share["token"] as? String ?? "")
                    default: concrete.append(segment)
                    }
                }
                var query: [URLQueryItem] = []
                if ["/v1/shares", "/v1/api-keys", "/v1/jobs", "/v1/me/permissions", "/v1/workflow-definitions"].contains(path)
                    || path.hasPrefix("/v1/organizations/{id}/usage")
                {
                    query.append(.init(name: "organization_id", value: organization))
                }
                let url = api.appendingPathComponent(concrete.joined(separator: "/")).appending(queryItems: query)
                let (status, body) = try await EndToEndTests.call(
                    method.uppercased(),
                    url,
                    key: key,
                    json: method == "get" || method == "delete" ? nil : "{}"
                )
                let message = (body["error"] as? [String: Any])?["message"] as? String
                #expect(!(status == 404 && message == "no such resource"), "\(method.uppercased()) \(path) answered 404 no such resource")
                #expect(status < 500, "\(method.uppercased()) \(path) answered \(status)")
                walked += 1
            }
            #expect(walked > 50)
        }
    }

    /// Past `--max-connections`, a new connection is not served until another closes.
    @Test(.enabled(if: available))
    func theConnectionCapHolds() async throws {
        try await Self.withServer(["--max-connections", "2", "--head-timeout", "30"]) { api, _ in
            let port = try #require(api.port)
            let holders = [try await ConnectionLimitTests.RawConnection(port: port), try await ConnectionLimitTests.RawConnection(port: port)]
            try await Task.sleep(for: .milliseconds(500))
            let waiting = try await ConnectionLimitTests.RawConnection(port: port).exchange(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                within: .seconds(1)
            )
            #expect(!waiting.text.contains("HTTP/1.1 200"), "\(waiting)")
            for holder in holders { try await holder.channel.channel.close() }
            let admitted = try await ConnectionLimitTests.RawConnection(port: port).exchange(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                within: .seconds(5),
                until: { $0.contains("HTTP/1.1 200") }
            )
            #expect(admitted.text.contains("HTTP/1.1 200"), "\(admitted)")
        }
    }

    /// `AUTHZ_EVENT_LOOPS` sets the event loop threads (a server pinned to one core would
    /// otherwise time-slice one loop per core of the machine on it).
    @Test(.enabled(if: available))
    func eventLoopsAreAsConfigured() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-loops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, _) = try await Self.launch(
            database: "sqlite://\(folder.path)/authz.sqlite",
            key: "binary-test-bootstrap-key-\(UUID().uuidString)",
            environment: ["AUTHZ_EVENT_LOOPS": "1"]
        )
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/task")
        let names = tasks.compactMap { try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\($0)/comm", encoding: .utf8) }
        #expect(names.filter { $0.hasPrefix("NIO-SGLTN-") }.count == 1, "\(names)")
    }

    /// A value that is not a thread count stops the command before it starts anything.
    @Test(.enabled(if: available), arguments: ["0", "two", "-1", "100000"])
    func aBadEventLoopCountIsRefused(_ value: String) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0"]
        process.environment = ["AUTHZ_EVENT_LOOPS": value, "PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 64)
        #expect(message.contains("AUTHZ_EVENT_LOOPS must be a number of threads from 1 to 1024"), "\(message)")
    }
}
