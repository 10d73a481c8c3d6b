import AuthzProto
import Foundation
import GRPCCore
import SQLiteNIO
import Stores
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `authz` binary, on a free port, with a fresh SQLite file: the README walkthrough
/// over real HTTP, then SIGTERM and a clean exit.
@Suite struct EndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// 127.0.0.1:`port` as the socket calls take it.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func call(_ method: String, _ url: URL, key: String?, json: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }

    /// `swift test` builds the binary first; a developer who built nothing but the tests skips
    /// this, CI never does.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(".build/debug/authz").path)
                || ProcessInfo.processInfo.environment["CI"] != nil
        )
    )
    func readmeWalkthroughAgainstTheBinary() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try Self.freePort()
        let grpcPort = try Self.freePort()
        let key = "end-to-end-bootstrap-key-\(UUID().uuidString)"
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".build/debug/authz")
        process.arguments = [
            "serve", "--port", String(port), "--grpc-port", String(grpcPort), "--policies",
            Self.root.appendingPathComponent("policies").path,
            "--database-url", "sqlite://\(folder.path)/authz.sqlite", "--log-level", "warning",
        ]
        process.environment = ["AUTHZ_BOOTSTRAP_KEY": key, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let api = URL(string: "http://127.0.0.1:\(port)")!
        var ready = false
        let started = ContinuousClock.now
        while !ready, ContinuousClock.now - started < .seconds(30) {
            ready = (try? await Self.call("GET", api.appendingPathComponent("readyz"), key: nil).0) == 200
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready)

        var (status, body) = try await Self.call("GET", api.appendingPathComponent("v1/me"), key: key)
        #expect(status == 200 && (body["data"] as? [String: Any])?["platform_admin"] as? Bool == true)
        (status, body) = try await Self.call("POST", api.appendingPathComponent("v1/organizations"), key: key, json: #"{"name":"Acme Corp"}"#)
        #expect(status == 201)
        let organization = try #require((body["data"] as? [String: Any])?["id"] as? String)
        (status, body) = try await Self.call(
            "POST",
            api.appendingPathComponent("v1/teams"),
            key: key,
            json: #"{"organization_id":"\#(organization)","name":"Red"}"#
        )
        let team = try #require((body["data"] as? [String: Any])?["id"] as? String)
        (status, body) = try await Self.call(
            "POST",
            api.appendingPathComponent("v1/invitations"),
            key: key,
            json: #"{"organization_id":"\#(organization)","email":"alice@example.com","role":"member","team_id":"\#(team)","team_role":"maintainer"}"#
        )
        #expect(status == 201 && ((body["data"] as? [String: Any])?["token"] as? String)?.count == 64)
        (status, body) = try await Self.call(
            "POST",
            api.appendingPathComponent("v1/authz/check"),
            key: key,
            json: #"{"permission":"team.update","resource":{"type":"team","id":"\#(team)"},"explain":true}"#
        )
        #expect(status == 200 && (body["data"] as? [String: Any])?["allowed"] as? Bool == true)
        (status, body) = try await Self.call(
            "POST",
            api.appendingPathComponent("v1/authz/check-batch"),
            key: key,
            json:
                #"{"checks":[{"permission":"organization.read","resource":{"type":"organization","id":"\#(organization)"}},{"permission":"document.edit","resource":{"type":"document","id":"\#(UUID().uuidString)","organization_id":"\#(organization)","team_id":"\#(team)"}}]}"#
        )
        #expect(((body["data"] as? [String: Any])?["results"] as? [[String: Any]])?.map { $0["allowed"] as? Bool } == [true, true])

        (status, body) = try await Self.call("POST", api.appendingPathComponent("v1/api-keys"), key: key, json: #"{"name":"ci"}"#)
        #expect(status == 201)

        // A job run by the server's worker pool, then shared by a password-protected link that
        // opens with the key made in the data folder.
        (status, body) = try await Self.call(
            "POST",
            api.appendingPathComponent("v1/jobs"),
            key: key,
            json: #"{"organization_id":"\#(organization)","team_id":"\#(team)","provider":"echo","input":{"text":"done by the binary"}}"#
        )
        #expect(status == 201)
        let job = try #require((body["data"] as? [String: Any])?["id"] as? String)
        var jobStatus: String?
        let submitted = ContinuousClock.now
        while jobStatus != "succeeded", ContinuousClock.now - submitted < .seconds(30) {
            jobStatus =
                (try await Self.call("GET", api.appendingPathComponent("v1/jobs/\(job)"), key: key).1["data"] as? [String: Any])?["status"] as? String
            if jobStatus != "succeeded" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(jobStatus == "succeeded")
        (status, body) = try await Self.call(
            "POST",
            api.appendingPathComponent("v1/shares"),
            key: key,
            json: #"{"resource":{"type":"job","id":"\#(job)"},"password":"correct horse"}"#
        )
        let link = try #require((body["data"] as? [String: Any])?["url"] as? String)
        var request = URLRequest(url: URL(string: api.absoluteString + link)!)
        request.setValue("correct horse", forHTTPHeaderField: "X-Share-Password")
        let (shared, sharedResponse) = try await URLSession.shared.data(for: request)
        #expect((sharedResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: shared, as: UTF8.self).contains("done by the binary"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/secret.key"))

        // SIGTERM: a graceful shutdown and a clean exit. An open gRPC Watch does not hold it
        // up: it ends with UNAVAILABLE, telling the client to resume elsewhere or later.
        let ended = try await withAuthzClient(port: grpcPort) { authz, _ in
            try await authz.watch(Authz_V1_WatchRequest(), metadata: bearer(key)) { response in
                var messages = response.messages.makeAsyncIterator()
                #expect(try await messages.next()?.subscribed != nil)
                process.terminate()
                do {
                    while try await messages.next() != nil {}
                    return nil as RPCError?
                } catch let error as RPCError {
                    return error
                }
            }
        }
        #expect(ended?.code == .unavailable && ended?.message.hasPrefix("the server is shutting down") == true, "\(String(describing: ended))")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!log.contains(key), "the bootstrap key reached the output")

        // `authz audit verify`: intact (the platform's bootstrap; the organization, team,
        // invitation, key, the job's three steps and the share), then, with an event edited
        // behind its back, exit 1 naming the entry.
        let database = "sqlite://\(folder.path)/authz.sqlite"
        var (verified, report) = try Self.runCommand(["audit", "verify", "--database-url", database], policies: false)
        #expect(verified == 0 && report.contains("audit log intact: 9 events in 2 chains"), "\(report)")
        let connection = try await SQLiteConnection.open(storage: .file(path: folder.path + "/authz.sqlite"))
        _ = try await connection.query("UPDATE audit_events SET action = 'api_key.revoked'")
        try await connection.close()
        (verified, report) = try Self.runCommand(["audit", "verify", "--database-url", database], policies: false)
        #expect(verified == 1 && report.contains("audit log broken: entry 1 of chain platform"), "\(report)")
    }

    /// Runs the binary to completion; its exit status and everything it wrote.
    /// `policies: false` runs the command from a folder with no `policies/` and no flag naming one.
    static func runCommand(_ arguments: [String], environment: [String: String] = [:], policies: Bool = true) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".build/debug/authz")
        process.arguments = arguments + (policies ? ["--policies", Self.root.appendingPathComponent("policies").path] : [])
        if !policies { process.currentDirectoryURL = FileManager.default.temporaryDirectory }
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// CLI traps: `--version` answers; `audit verify` on a SQLite file that does not exist
    /// (a mistyped path) refuses instead of creating an empty store and calling it intact.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(".build/debug/authz").path)
                || ProcessInfo.processInfo.environment["CI"] != nil
        )
    )
    func versionAndMistypedStores() throws {
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent(".build/debug/authz")
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(
            String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                == "1.0.0"
        )
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("authz-missing-\(UUID().uuidString)/authz.sqlite").path
        let (status, report) = try Self.runCommand(["audit", "verify", "--database-url", "sqlite://\(missing)"], policies: false)
        #expect(status == 1 && report.contains("no store at"), "\(report)")
        #expect(!FileManager.default.fileExists(atPath: missing))

        // `migrate` says what it did: created, then nothing to apply.
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("authz-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: fresh) }
        // Neither `migrate` nor `audit verify` needs the policy folder.
        func migrate() throws -> String {
            let (status, output) = try Self.runCommand(["migrate", "--database-url", "sqlite://\(fresh.path)/authz.sqlite"], policies: false)
            #expect(status == 0, "\(output)")
            return output
        }
        #expect(try migrate().contains("schema created"))
        #expect(try migrate().contains("schema is up to date (nothing to apply)"))
        let (verified, intact) = try Self.runCommand(["audit", "verify", "--database-url", "sqlite://\(fresh.path)/authz.sqlite"], policies: false)
        #expect(verified == 0 && intact.contains("audit log intact"), "\(intact)")
    }

    /// A PostgreSQL that cannot be reached fails every command within seconds, in a sentence
    /// naming the server, instead of a minute of retries and a circuit breaker's name.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(".build/debug/authz").path)
                || ProcessInfo.processInfo.environment["CI"] != nil
        )
    )
    func anUnreachablePostgreSQLFailsFast() throws {
        let port = try Self.freePort()
        let url = "postgres://authz@127.0.0.1:\(port)/authz"
        for arguments in [["migrate", "--database-url", url], ["audit", "verify", "--database-url", url]] {
            let started = Date()
            let (status, output) = try Self.runCommand(arguments, policies: false)
            #expect(status == 1 && Date().timeIntervalSince(started) < 15, "\(arguments[0]): \(output)")
            #expect(output.contains("cannot reach PostgreSQL at 127.0.0.1:\(port) (database authz, user authz)"), "\(output)")
            #expect(!output.contains("CircuitBreaker"))
        }
        let started = Date()
        let (status, output) = try Self.runCommand(["serve", "--database-url", url, "--port", String(try Self.freePort()), "--grpc-port", "0"])
        #expect(status == 1 && Date().timeIntervalSince(started) < 15 && output.contains("cannot reach PostgreSQL"), "\(output)")
    }

    /// `authz bootstrap`: a new key printed once on an empty store, nothing the second time,
    /// and a configured key stored and accepted.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(".build/debug/authz").path)
                || ProcessInfo.processInfo.environment["CI"] != nil
        )
    )
    func bootstrapCommand() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("authz-bootstrap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func bootstrap(_ environment: [String: String] = [:]) throws -> (Int32, String) {
            try Self.runCommand(["bootstrap", "--database-url", "sqlite://\(folder.path)/authz.sqlite"], environment: environment)
        }
        let (first, printed) = try bootstrap()
        #expect(first == 0 && printed.contains("Platform admin API key (shown once"))
        #expect(printed.split(separator: " ").contains { $0.hasPrefix("azk_") && $0.count > 90 })
        let (second, again) = try bootstrap()
        #expect(second == 0 && again.contains("exists already") && !again.contains("azk_"))
        let configured = "configured-bootstrap-key-\(UUID().uuidString)"
        let (third, stored) = try bootstrap(["AUTHZ_BOOTSTRAP_KEY": configured])
        #expect(third == 0 && stored.contains("configured") && !stored.contains(configured))
        let (short, _) = try bootstrap(["AUTHZ_BOOTSTRAP_KEY": "too short"])
        #expect(short != 0)
    }
}
