import APIKeys
import Authz
import AuthzProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import HTTPTypes
import HummingbirdTesting
import Identity
import Testing

@testable import Server

/// Runs `body` with a client of the application's gRPC listener on `port`, once it listens:
/// the gRPC service starts beside the HTTP server, and a busy machine may not have bound it yet.
func withAuthzClient<Result: Sendable>(
    port: Int,
    _ body: (Authz_V1_AuthzService.Client<HTTP2ClientTransport.Posix>, Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>) async throws ->
        Result
) async throws -> Result {
    try await waitUntilListening(port: port)
    return try await withGRPCClient(
        transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    ) { client in
        try await body(Authz_V1_AuthzService.Client(wrapping: client), Grpc_Health_V1_Health.Client(wrapping: client))
    }
}

/// Connects to 127.0.0.1:`port` until a listener accepts, for at most ten seconds.
func waitUntilListening(port: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while true {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = EndToEndTests.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        close(socket)
        if connected { return }
        guard ContinuousClock.now < deadline else { throw POSIXError(.ECONNREFUSED) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

func bearer(_ key: String) -> Metadata { ["authorization": "Bearer \(key)"] }

/// One check, as both APIs are asked it.
struct ParityCase: CustomStringConvertible {
    let key: String
    let subject: UUID?
    let permission: String
    let type: String
    let id: UUID
    let explain: Bool

    var json: String {
        let subject = self.subject.map { #""subject":{"type":"principal","id":"\#($0.uuidString)"},"# } ?? ""
        return
            #"{\#(subject)"permission":"\#(self.permission)","resource":{"type":"\#(self.type)","id":"\#(self.id.uuidString)"},"explain":\#(self.explain)}"#
    }

    var message: Authz_V1_CheckRequest {
        var message = Authz_V1_CheckRequest()
        if let subject {
            message.subject.type = "principal"
            message.subject.id = subject.uuidString
        }
        message.permission = self.permission
        message.resource.type = self.type
        message.resource.id = self.id.uuidString
        message.explain = self.explain
        return message
    }

    var description: String { "\(self.key) asks \(self.permission) on \(self.type) for \(self.subject?.uuidString ?? "itself")" }
}

/// What an answer says, in one form for both APIs.
struct Verdict: Equatable {
    var allowed: Bool?
    var error: String?
    var reason: [String] = []
    var grantableBy: [String] = []
    var trace: [String] = []
    var revision: UInt64 = 0

    init(http status: HTTPResponse.Status, _ body: [String: Any]) {
        guard status == .ok else {
            self.error =
                ["400": "invalidArgument", "401": "unauthenticated", "403": "permissionDenied", "404": "notFound"][String(status.code)]
                ?? String(status.code)
            return
        }
        let data = data(body)
        self.allowed = data["allowed"] as? Bool
        if let reason = data["reason"] as? [String: Any], let on = reason["on"] as? [String: String] {
            self.reason = [reason["role"] as? String ?? "", on["type"] ?? "", on["id"] ?? "", reason["via_team"] as? String ?? "-"]
        }
        self.grantableBy = (data["grantable_by"] as? [[String: Any]] ?? []).map {
            "\($0["role"] as? String ?? "") on \(($0["on"] as? [String: String])?["type"] ?? "") \(($0["on"] as? [String: String])?["id"] ?? "")"
        }
        self.trace = data["trace"] as? [String] ?? []
        self.revision = UInt64(data["revision"] as? String ?? "") ?? 0
    }

    init(grpc response: Authz_V1_CheckResponse, revision: UInt64) {
        self.allowed = response.allowed
        if response.hasReason {
            let reason = response.reason
            self.reason = [reason.role, reason.on.type, reason.on.id, reason.hasViaTeam ? reason.viaTeam : "-"]
        }
        self.grantableBy = response.grantableBy.map { "\($0.role) on \($0.on.type) \($0.on.id)" }
        self.trace = response.trace
        self.revision = revision
    }

    init(grpc error: RPCError) {
        self.error = "\(error.code)"
    }
}

@Suite struct GRPCTests {
    /// Every caller kind (owner, member, viewer with a team role, a scoped key, an organization
    /// key, an outsider) asks about itself and about others, on stored resources of both
    /// tenants: gRPC's Check and CheckBatch answer exactly what HTTP answers — decision,
    /// reason, grantable roles, trace, revision, or the same refusal.
    @Test func answersAsHTTPDoes() async throws {
        let port = try EndToEndTests.freePort()
        try await AuthenticatedApplication.withApplication(live: true, grpcPort: port) { client, app in
            var w = try await CheckWorld(app)
            let hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
            let organizationKey = try await app.service.createAPIKey(
                name: "ci",
                organization: w.acme,
                role: "member",
                scopes: nil,
                expiresAt: nil,
                actor: w.owner,
                hasher: hasher
            ).0
            w.keys["organization"] = organizationKey.key
            let resources: [(String, UUID)] = [
                ("job", w.job), ("team", w.red), ("organization", w.acme), ("organization", w.globex), ("job", UUID()),
            ]
            let permissions = [
                "job": ["job.read", "job.cancel"], "team": ["team.read", "team.update"], "organization": ["organization.read", "job.create"],
            ]
            var cases: [ParityCase] = []
            for key in ["owner", "member", "maintainer", "scoped", "organization", "stranger"] {
                for subject in [nil, w.member, w.maintainer] as [UUID?] {
                    for (type, id) in resources {
                        for permission in permissions[type]! {
                            cases.append(
                                ParityCase(key: key, subject: subject, permission: permission, type: type, id: id, explain: cases.count % 3 == 0)
                            )
                        }
                    }
                }
            }
            try await withAuthzClient(port: port) { authz, _ in
                var kinds: Set<String> = []
                for check in cases {
                    let (status, body) = try await client.post("/v1/authz/check", bearer: w.keys[check.key]!, json: check.json)
                    let http = Verdict(http: status, body)
                    let grpc: Verdict
                    do {
                        let response = try await authz.check(check.message, metadata: bearer(w.keys[check.key]!))
                        grpc = Verdict(grpc: response, revision: response.revision)
                    } catch let error as RPCError {
                        grpc = Verdict(grpc: error)
                    }
                    #expect(grpc == http, "\(check)")
                    kinds.insert(http.error ?? (http.allowed == true ? "allowed" : "denied"))
                }
                // The cases reach every kind of answer.
                #expect(kinds == ["allowed", "denied", "notFound", "permissionDenied"])
                // The same checks per caller in one batch: item by item the same answers, at
                // the batch's one revision (refused items are left out: over HTTP they refuse
                // the whole batch, as over gRPC).
                for key in Set(cases.map(\.key)) {
                    let mine = cases.filter { $0.key == key }
                    var answered: [ParityCase] = []
                    for check in mine {
                        let (status, _) = try await client.post("/v1/authz/check", bearer: w.keys[key]!, json: check.json)
                        if status == .ok { answered.append(check) }
                    }
                    guard !answered.isEmpty else { continue }
                    var batch = Authz_V1_CheckBatchRequest()
                    batch.checks = answered.map(\.message)
                    batch.echo = true
                    let response = try await authz.checkBatch(batch, metadata: bearer(w.keys[key]!))
                    #expect(response.results.count == answered.count)
                    let json = #"{"checks":[\#(answered.map(\.json).joined(separator: ","))]}"#
                    let (status, body) = try await client.post("/v1/authz/check-batch", bearer: w.keys[key]!, json: json)
                    #expect(status == .ok)
                    let httpResults = data(body)["results"] as? [[String: Any]] ?? []
                    for (index, result) in response.results.enumerated() {
                        #expect(
                            Verdict(grpc: result, revision: result.revision) == Verdict(http: .ok, ["data": httpResults[index]]),
                            "\(answered[index])"
                        )
                        #expect(result.revision == response.revision && result.permission == answered[index].permission)
                        // Field for field, the message a Check for the item alone answers.
                        #expect(try await authz.check(answered[index].message, metadata: bearer(w.keys[key]!)) == result, "\(answered[index])")
                    }
                    // Without echo (the default), results carry the decision only.
                    batch.echo = false
                    let compact = try await authz.checkBatch(batch, metadata: bearer(w.keys[key]!))
                    #expect(compact.results.allSatisfy { $0.revision == 0 && $0.permission.isEmpty && !$0.hasResource })
                    #expect(compact.results.map(\.allowed) == response.results.map(\.allowed))
                }
            }
        }
    }

    /// Mistakes name their field path; a missing or wrong credential is UNAUTHENTICATED; an
    /// empty bucket is RESOURCE_EXHAUSTED; health answers SERVING for the server and the API.
    @Test func refusalsAndHealth() async throws {
        let port = try EndToEndTests.freePort()
        let limits = RateLimits(checksPerPrincipal: 5)
        try await AuthenticatedApplication.withApplication(limits: limits, live: true, grpcPort: port) { _, app in
            let w = try await CheckWorld(app)
            try await withAuthzClient(port: port) { authz, health in
                var check = Authz_V1_CheckRequest()
                check.permission = "job.fly"
                check.resource.type = "job"
                check.resource.id = "not-a-uuid"
                await #expect {
                    try await authz.check(check, metadata: bearer(w.keys["member"]!))
                } throws: { error in
                    guard let error = error as? RPCError, error.code == .invalidArgument else { return false }
                    return error.message.contains("resource.id: must be a UUID") && error.message.contains("permission: unknown permission 'job.fly'")
                }
                var batch = Authz_V1_CheckBatchRequest()
                check.resource.id = w.job.uuidString
                check.permission = "job.read"
                var second = check
                second.consistency.minRevision = 1
                batch.checks = [check, second]
                await #expect {
                    try await authz.checkBatch(batch, metadata: bearer(w.keys["member"]!))
                } throws: { error in
                    (error as? RPCError)?.code == .invalidArgument
                        && (error as? RPCError)?.message == "checks[1].consistency: is given once, for the whole batch"
                }
                batch.checks = []
                await #expect {
                    try await authz.checkBatch(batch, metadata: bearer(w.keys["member"]!))
                } throws: { error in
                    (error as? RPCError)?.message == "checks: must hold 1 to 1000 checks, not 0"
                }
                for metadata in [[:], bearer("nope"), bearer(APIKey.generate(id: UUID()).rendered)] as [Metadata] {
                    await #expect {
                        try await authz.check(check, metadata: metadata)
                    } throws: { error in
                        (error as? RPCError)?.code == .unauthenticated
                            && (error as? RPCError)?.message == "unauthorized: missing or invalid credentials"
                    }
                }
                // Another tenant's resource, about someone else: NOT_FOUND, as HTTP's 404.
                var foreign = check
                foreign.subject.type = "principal"
                foreign.subject.id = w.owner.uuidString
                foreign.resource.type = "organization"
                foreign.resource.id = w.globex.uuidString
                foreign.permission = "organization.read"
                await #expect {
                    try await authz.check(foreign, metadata: bearer(w.keys["member"]!))
                } throws: { error in
                    (error as? RPCError)?.code == .notFound
                }
                // Five checks a minute for this principal: the sixth and later are refused.
                var codes: [RPCError.Code?] = []
                for _ in 0..<8 {
                    do {
                        _ = try await authz.check(check, metadata: bearer(w.keys["owner"]!))
                        codes.append(nil)
                    } catch let error as RPCError {
                        codes.append(error.code)
                    }
                }
                #expect(codes.prefix(5).allSatisfy { $0 == nil } && codes.suffix(3).allSatisfy { $0 == .resourceExhausted })

                for service in ["", "authz.v1.AuthzService"] {
                    var request = Grpc_Health_V1_HealthCheckRequest()
                    request.service = service
                    #expect(try await health.check(request).status == .serving)
                }
                var unknown = Grpc_Health_V1_HealthCheckRequest()
                unknown.service = "nope"
                await #expect {
                    try await health.check(unknown)
                } throws: { error in
                    (error as? RPCError)?.code == .notFound
                }
            }
        }
    }
}
