import Authz
import AuthzProto
import Foundation
import GRPCCore
import Identity
import JSON
import SwiftProtobuf
import Testing

@testable import Server

/// gRPC's CheckBatch reads its request's bytes and writes its answer's itself. Whatever
/// `CheckBatchProtoScanner` takes, SwiftProtobuf and `CheckBatch.read` read as the same batch;
/// whatever it declines, they read or refuse with the field path; and the answer is, byte for
/// byte, what SwiftProtobuf writes for each item's `CheckResult.message(echo:)`.
@Suite struct CheckBatchProtoTests {
    static let policy = CheckBatchScannerTests.policy

    static func scanned(_ message: Authz_V1_CheckBatchRequest) throws -> CheckBatch? {
        let bytes: [UInt8] = try message.serializedBytes()
        return bytes.withUnsafeBytes { CheckBatchProtoScanner.scan($0, policy: Self.policy, batchLimit: AuthzController.batchLimit) }
    }

    static func agree(_ message: Authz_V1_CheckBatchRequest, scanned expected: Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
    {
        let fast = try Self.scanned(message)
        #expect((fast != nil) == expected, "scanner \(fast == nil ? "declined" : "took") \(message)", sourceLocation: sourceLocation)
        guard let fast else { return }
        switch CheckBatch.read(message, policy: Self.policy, batchLimit: AuthzController.batchLimit) {
        case .batch(let slow):
            #expect(fast.items == slow.items, sourceLocation: sourceLocation)
            #expect(fast.minimumRevision == slow.minimumRevision, sourceLocation: sourceLocation)
            #expect(fast.echo == slow.echo, sourceLocation: sourceLocation)
        case .invalid(let problems):
            Issue.record("the scanner took a batch that reads as invalid (\(problems)): \(message)", sourceLocation: sourceLocation)
        }
    }

    static func check(
        _ permission: String,
        _ type: String,
        _ id: String,
        configure: (inout Authz_V1_CheckRequest) -> Void = { _ in }
    ) -> Authz_V1_CheckRequest {
        var check = Authz_V1_CheckRequest()
        check.permission = permission
        check.resource.type = type
        check.resource.id = id
        configure(&check)
        return check
    }

    static func batch(
        _ checks: [Authz_V1_CheckRequest],
        configure: (inout Authz_V1_CheckBatchRequest) -> Void = { _ in }
    ) -> Authz_V1_CheckBatchRequest {
        var batch = Authz_V1_CheckBatchRequest()
        batch.checks = checks
        configure(&batch)
        return batch
    }

    /// Random batches of every kind of item the policy has, with and without subjects,
    /// explain, echo and a revision to wait for: all scanned, all read alike.
    @Test func randomBatchesAreScannedAsSwiftProtobufReadsThem() throws {
        var generator = SystemRandomNumberGenerator()
        let types = Self.policy.types
        for _ in 0..<200 {
            var checks: [Authz_V1_CheckRequest] = []
            for _ in 0..<Int.random(in: 1...20, using: &generator) {
                let type = types.randomElement(using: &generator)!
                let permission = Self.policy.names(of: type.permissions).randomElement(using: &generator)!
                var check = Authz_V1_CheckRequest()
                check.permission = permission
                check.resource.type = type.name
                if type.isExternal {
                    check.resource.id = "ext-\(Int.random(in: 0...999, using: &generator))"
                    check.resource.organizationID = UUID().uuidString
                    if Bool.random(using: &generator) { check.resource.teamID = UUID().uuidString.lowercased() }
                    if Bool.random(using: &generator) { check.resource.ownerID = UUID().uuidString }
                } else {
                    check.resource.id = UUID().uuidString.lowercased()
                }
                if Bool.random(using: &generator) {
                    check.subject.id = UUID().uuidString
                    if Bool.random(using: &generator) { check.subject.type = "principal" }
                }
                check.explain = Bool.random(using: &generator)
                checks.append(check)
            }
            let message = Self.batch(checks) { batch in
                if Bool.random(using: &generator) { batch.consistency.minRevision = UInt64.random(in: 0...UInt64.max, using: &generator) }
                batch.echo = Bool.random(using: &generator)
            }
            try Self.agree(message, scanned: true)
        }
    }

    /// Each of these is refused or unusual: the scanner declines them all, and the message
    /// reads as it did before the scanner (refusals with their field paths).
    @Test func everythingElseIsReadFromTheMessage() throws {
        let job = UUID().uuidString
        let organization = UUID().uuidString
        let good = Self.check("job.read", "job", job)
        let refused: [(Authz_V1_CheckBatchRequest, String)] = [
            (Self.batch([]), "checks: must hold 1 to 1000 checks, not 0"),
            (
                Self.batch(Array(repeating: good, count: AuthzController.batchLimit + 1)),
                "checks: must hold 1 to 1000 checks, not \(AuthzController.batchLimit + 1)"
            ),
            (Self.batch([good, Self.check("job.read", "job", job) { $0.consistency.minRevision = 3 }]), "checks[1].consistency"),
            (Self.batch([Self.check("job.nope", "job", job)]), "checks[0].permission"),
            (Self.batch([Self.check("team.member.manage", "job", job)]), "checks[0].permission"),
            (Self.batch([Self.check("", "job", job)]), "checks[0].permission"),
            (Self.batch([Self.check("job.read", "robot", job)]), "checks[0].resource.type"),
            (Self.batch([Self.check("job.read", "", job)]), "checks[0].resource.type"),
            (Self.batch([Self.check("job.read", "job", "not-a-uuid")]), "checks[0].resource.id"),
            (Self.batch([Self.check("job.read", "job", "")]), "checks[0].resource.id"),
            (Self.batch([Self.check("job.read", "job", job) { $0.resource.organizationID = organization }]), "checks[0].resource.organization_id"),
            (Self.batch([Self.check("job.read", "job", job) { $0.resource.teamID = "" }]), "checks[0].resource.team_id"),
            (Self.batch([good, Self.check("job.read", "job", job) { $0.clearResource() }]), "checks[1].resource"),
            (Self.batch([Self.check("job.read", "job", job) { $0.subject.type = "user" }]), "checks[0].subject.type"),
            (Self.batch([Self.check("job.read", "job", job) { $0.subject.type = "principal" }]), "checks[0].subject.id"),
            (Self.batch([Self.check("document.read", "document", "x")]), "checks[0].resource.organization_id"),
            (Self.batch([Self.check("document.read", "document", "a b") { $0.resource.organizationID = organization }]), "checks[0].resource.id"),
            (
                Self.batch([Self.check("document.read", "document", String(repeating: "x", count: 257)) { $0.resource.organizationID = organization }]
                ),
                "checks[0].resource.id"
            ),
            (
                Self.batch([Self.check("document.read", "document", "caf\u{e9}") { $0.resource.organizationID = organization }]),
                "checks[0].resource.id"
            ),
            (
                Self.batch([Self.check("document.read", "document", "x") { $0.resource.organizationID = "nope" }]),
                "checks[0].resource.organization_id"
            ),
        ]
        for (message, field) in refused {
            try Self.agree(message, scanned: false)
            guard case .invalid(let problems) = CheckBatch.read(message, policy: Self.policy, batchLimit: AuthzController.batchLimit) else {
                Issue.record("accepted: \(message)")
                continue
            }
            #expect(problems.contains { $0.field == field || "\($0.field): \($0.message)" == field }, "\(problems)")
        }
        // Read from the message, and accepted: a field this server does not know (a newer
        // client's), and a field given twice (protobuf merges the two).
        var unknown: [UInt8] = try Self.batch([good]).serializedBytes()
        unknown += [0xA0, 0x06, 0x01]  // field 100, varint 1
        var twice: [UInt8] = try Self.batch([good]).serializedBytes()
        twice += try Self.batch([good]) { $0.echo = true }.serializedBytes() as [UInt8]
        for bytes in [unknown, twice] {
            let scanned = bytes.withUnsafeBytes { CheckBatchProtoScanner.scan($0, policy: Self.policy, batchLimit: AuthzController.batchLimit) }
            #expect(scanned == nil || scanned?.items.count == 2)
            let read = try CheckBatchDeserializer(policy: Self.policy).deserialize(bytes)
            guard case .batch(let batch) = read else {
                Issue.record("refused: \(bytes)")
                continue
            }
            #expect(batch.items.allSatisfy { $0 == batch.items[0] })
        }
    }

    /// Bytes that are not a message at all are refused as every other method refuses them.
    @Test func bytesThatAreNoMessageAreInvalidArgument() throws {
        var whole: [UInt8] = try Self.batch([Self.check("job.read", "job", UUID().uuidString)]).serializedBytes()
        whole.removeLast()
        for bytes in [whole, [0x0A, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], [0x0B]] as [[UInt8]] {
            #expect(throws: RPCError.self, "\(bytes)") { try CheckBatchDeserializer(policy: Self.policy).deserialize(bytes) }
        }
    }

    /// Every kind of answer (allowed by a role, through a team, as a resource's creator;
    /// denied with the roles that would grant; explained; about others; on external
    /// resources), with and without echo: the serializer's bytes are SwiftProtobuf's.
    @Test func answersAreTheBytesSwiftProtobufWrites() async throws {
        try await AuthenticatedApplication.withApplication { _, app in
            let w = try await CheckWorld(app)
            let service = app.service
            let admin = Authentication(principal: try #require(try await service.principal(app.adminID)), keyID: UUID(), scopes: nil)
            let policy = service.policy
            func item(_ subject: UUID, _ permission: String, _ resource: ResourceReference, explain: Bool = false) throws -> CheckItem {
                CheckItem(subject: subject, permission: try #require(policy.permission(named: permission)), resource: resource, explain: explain)
            }
            func stored(_ type: String, _ id: UUID) throws -> ResourceReference {
                .stored(type: try #require(policy.resourceTypeID(named: type)), id: id)
            }
            let document = try #require(policy.resourceTypeID(named: "document"))
            var items: [CheckItem] = []
            for subject in [w.owner, w.member, w.maintainer, w.stranger] {
                items += [
                    try item(subject, "job.read", stored("job", w.job)),
                    try item(subject, "job.cancel", stored("job", w.job)),
                    try item(subject, "team.update", stored("team", w.red)),
                    try item(subject, "organization.read", stored("organization", w.acme)),
                    try item(subject, "organization.read", stored("organization", w.globex)),
                    try item(subject, "document.edit", .external(type: document, id: "doc-1", organization: w.acme, team: w.red, owner: w.member)),
                    try item(subject, "document.delete", .external(type: document, id: "doc-2", organization: w.acme, team: nil, owner: nil)),
                    try item(subject, "job.cancel", stored("job", w.job), explain: true),
                ]
            }
            let decided = try AuthzController(service: service, metrics: ServiceMetrics()).evaluate(batch: items, caller: admin, on: service.snapshot)
            let kinds = Set(decided.decisions.map { $0.reason.map { "\($0.source)" } ?? "denied" })
            #expect(kinds.count >= 3, "\(kinds)")
            for echo in [true, false] {
                let written: [UInt8] = try CheckBatchSerializer().serialize(CheckBatchAnswer(decided: decided, echo: echo))
                var expected = Authz_V1_CheckBatchResponse()
                expected.results = decided.results.map { $0.message(echo: echo ? decided.snapshot.revision : nil) }
                expected.revision = decided.snapshot.revision
                #expect(written == (try expected.serializedBytes() as [UInt8]), "echo: \(echo)")
            }
        }
    }
}
