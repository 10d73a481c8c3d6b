import AuthzProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftProtobuf

/// A closed-loop gRPC load client, for `scripts/load-grpc` (ghz is not packaged for Debian):
/// CONNECTIONS HTTP/2 connections, each with CONCURRENCY calls in flight, for SECONDS; every
/// call `Check` (organization.read on ORGANIZATION) or `CheckBatch` of BATCH such checks.
/// Prints calls and checks per second; any failed call ends the run with an error.
///
/// `--lean` makes the calls with `LeanCallHandler` instead of grpc-swift's client: prepared
/// frames on NIOHTTP2's connection handler, every answer's status and length checked and the
/// first decoded. grpc-swift's client costs about as much CPU per call as the server does, so on
/// shared cores its figures are the pair's; the lean client's are the server's.
///
/// `frames` writes the same two requests as gRPC frames (FOLDER/check.bin, FOLDER/batch.bin)
/// for a generic HTTP/2 load generator (h2load), whose client costs far less than grpc-swift's
/// and so leaves the shared cores to the server.
///
/// Usage: authz-grpc-load [--lean] HOST PORT KEY ORGANIZATION check|batch CONNECTIONS CONCURRENCY SECONDS [BATCH]
///        authz-grpc-load frames ORGANIZATION BATCH FOLDER
@main
struct GRPCLoad {
    static func main() async {
        do {
            try await Self.run()
        } catch {
            // A refused call or a wrong answer: said in one line, and the run fails.
            FileHandle.standardError.write(Data("authz-grpc-load: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run() async throws {
        var arguments = CommandLine.arguments
        let lean = arguments.count > 1 && arguments[1] == "--lean"
        if lean { arguments.remove(at: 1) }
        if arguments.count == 5, arguments[1] == "frames", let size = Int(arguments[3]) {
            let (check, batch) = Self.requests(organization: arguments[2], size: size)
            try Self.frame(check).write(to: URL(fileURLWithPath: arguments[4]).appendingPathComponent("check.bin"))
            try Self.frame(batch).write(to: URL(fileURLWithPath: arguments[4]).appendingPathComponent("batch.bin"))
            return
        }
        guard arguments.count >= 9, let port = Int(arguments[2]), let connections = Int(arguments[6]), let concurrency = Int(arguments[7]),
            let seconds = Int(arguments[8]), ["check", "batch"].contains(arguments[5])
        else {
            FileHandle.standardError.write(
                Data("usage: authz-grpc-load [--lean] HOST PORT KEY ORGANIZATION check|batch CONNECTIONS CONCURRENCY SECONDS [BATCH]\n".utf8)
            )
            exit(2)
        }
        let (host, key, organization, batch) = (arguments[1], arguments[3], arguments[4], arguments[5] == "batch")
        let size = arguments.count > 9 ? Int(arguments[9]) ?? 100 : 100
        let (check, request) = Self.requests(organization: organization, size: size)
        let started = ContinuousClock.now
        let call: Call = batch ? .batch(request) : .check(check)
        let total =
            lean
            ? try await Self.runLean(
                host: host,
                port: port,
                key: key,
                call: call,
                connections: connections,
                concurrency: concurrency,
                until: started + .seconds(seconds)
            )
            : try await Self.run(
                host: host,
                port: port,
                metadata: ["authorization": "Bearer \(key)"],
                call: call,
                connections: connections,
                concurrency: concurrency,
                until: started + .seconds(seconds)
            )
        let elapsed = ContinuousClock.now - started
        let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let perCall = batch ? size : 1
        print(
            String(
                format: "%@: %d calls in %.1f s: %.0f calls/s, %.0f checks/s",
                batch ? "CheckBatch of \(size)" : "Check",
                total,
                duration,
                Double(total) / duration,
                Double(total * perCall) / duration
            )
        )
    }

    static func requests(organization: String, size: Int) -> (Authz_V1_CheckRequest, Authz_V1_CheckBatchRequest) {
        var check = Authz_V1_CheckRequest()
        check.permission = "organization.read"
        check.resource.type = "organization"
        check.resource.id = organization
        var batch = Authz_V1_CheckBatchRequest()
        batch.checks = Array(repeating: check, count: size)
        return (check, batch)
    }

    /// A gRPC message on the wire: uncompressed, its length (big-endian), its bytes.
    static func frame(_ message: some SwiftProtobuf.Message) throws -> Data {
        let bytes: [UInt8] = try message.serializedBytes()
        let length = UInt32(bytes.count)
        return Data([0, UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)] + bytes)
    }

    enum Call: Sendable {
        case check(Authz_V1_CheckRequest)
        case batch(Authz_V1_CheckBatchRequest)
    }

    /// The calls answered, all connections together; each caller counts its own.
    nonisolated static func run(
        host: String,
        port: Int,
        metadata: Metadata,
        call: Call,
        connections: Int,
        concurrency: Int,
        until deadline: ContinuousClock.Instant
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    try await withGRPCClient(
                        transport: try .http2NIOPosix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
                    ) { client in
                        let authz = Authz_V1_AuthzService.Client(wrapping: client)
                        return try await withThrowingTaskGroup(of: Int.self) { callers in
                            for _ in 0..<concurrency {
                                callers.addTask { try await Self.loop(authz, call: call, metadata: metadata, until: deadline) }
                            }
                            return try await callers.reduce(0, +)
                        }
                    }
                }
            }
            return try await group.reduce(0, +)
        }
    }

    nonisolated static func loop(
        _ authz: Authz_V1_AuthzService.Client<HTTP2ClientTransport.Posix>,
        call: Call,
        metadata: Metadata,
        until deadline: ContinuousClock.Instant
    ) async throws -> Int {
        var calls = 0
        while ContinuousClock.now < deadline {
            switch call {
            case .batch(let request):
                let answer = try await authz.checkBatch(request, metadata: metadata)
                guard answer.results.count == request.checks.count, answer.results.allSatisfy(\.allowed) else {
                    throw RPCError(code: .internalError, message: "a wrong answer")
                }
            case .check(let request):
                guard try await authz.check(request, metadata: metadata).allowed else {
                    throw RPCError(code: .internalError, message: "a wrong answer")
                }
            }
            calls += 1
        }
        return calls
    }
}
