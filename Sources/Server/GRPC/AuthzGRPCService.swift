internal import Authz
internal import AuthzProto
import Foundation
internal import GRPCCore
internal import HTTPTypes
internal import Identity
import JSON
internal import Logging

/// `authz.v1.AuthzService`: the check API over gRPC. Every call passes the same credential
/// gate as HTTP (same keys, cache, single-flight verification and rate limits, charged to the
/// checks group), is decided by the same code as `/v1/authz/check` (`AuthzController`) on the
/// same snapshot, and its refusals are audited the same way.
struct AuthzGRPCService: Authz_V1_AuthzService.ServiceProtocol {
    let checks: AuthzController
    let gate: CredentialGate
    let logger: Logger

    var service: IdentityService { self.checks.service }

    func check(request: ServerRequest<Authz_V1_CheckRequest>, context: ServerContext) async throws -> ServerResponse<Authz_V1_CheckResponse> {
        try await self.call(request, context) { caller, message in
            var reader = JSONReader()
            let item = CheckItem.parse(message, at: "", inBatch: false, policy: self.service.policy, reader: &reader)
            guard reader.problems.isEmpty, let item else { throw APIError.validation(AuthzController.unique(reader.problems)) }
            if message.hasConsistency { try await self.wait(for: message.consistency.minRevision, context: context) }
            let snapshot = self.service.snapshot
            let result = try self.checks.evaluate(item, caller: caller, on: snapshot)
            self.checks.metrics.checksDecided(allowed: result.allowed ? 1 : 0, denied: result.allowed ? 0 : 1)
            return result.message(echo: snapshot.revision)
        }
    }

    func checkBatch(
        request: ServerRequest<Authz_V1_CheckBatchRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Authz_V1_CheckBatchResponse> {
        try await self.call(request, context) { caller, message in
            let policy = self.service.policy
            var reader = JSONReader()
            var items: [CheckItem] = []
            if message.checks.isEmpty || message.checks.count > AuthzController.batchLimit {
                reader.problem("checks", "must hold 1 to \(AuthzController.batchLimit) checks, not \(message.checks.count)")
            } else {
                items.reserveCapacity(message.checks.count)
                for (index, check) in message.checks.enumerated() {
                    if let item = CheckItem.parse(check, at: "checks[\(index)]", inBatch: true, policy: policy, reader: &reader) {
                        items.append(item)
                    }
                }
            }
            guard reader.problems.isEmpty else { throw APIError.validation(AuthzController.unique(reader.problems)) }
            if message.hasConsistency { try await self.wait(for: message.consistency.minRevision, context: context) }
            // One snapshot for the whole batch, as over HTTP.
            let snapshot = self.service.snapshot
            let results = try self.checks.evaluate(batch: items, caller: caller, on: snapshot)
            let allowed = results.reduce(0) { $0 + ($1.allowed ? 1 : 0) }
            self.checks.metrics.checksDecided(allowed: allowed, denied: results.count - allowed)
            var response = Authz_V1_CheckBatchResponse()
            response.revision = snapshot.revision
            let echo = message.echo ? snapshot.revision : nil
            response.results = results.map { $0.message(echo: echo) }
            return response
        }
    }

    /// Authenticates the call, runs `body`, and turns whatever it throws into the status the
    /// client sees, auditing a refusal of a known caller as HTTP does.
    private func call<Input: Sendable, Output: Sendable>(
        _ request: ServerRequest<Input>,
        _ context: ServerContext,
        _ body: (Authentication, Input) async throws -> Output
    ) async throws -> ServerResponse<Output> {
        let address = GRPCPeer.address(context.remotePeer)
        var caller: Authentication?
        do {
            let authentication = try await self.gate.authenticate(
                authorization: request.metadata[stringValues: "authorization"].first(where: { _ in true }),
                checks: true,
                address: address,
                origin: AuditContext(
                    actorID: nil,
                    clientAddress: address,
                    userAgent: request.metadata[stringValues: "user-agent"].first(where: { _ in true })
                )
            )
            caller = authentication
            return ServerResponse(message: try await body(authentication, request.message))
        } catch {
            let apiError = error as? RPCError == nil ? APIError(error) : nil
            if let apiError, apiError.status == .forbidden || apiError.denied != nil, let caller {
                await self.audit(apiError, route: "/\(context.descriptor.fullyQualifiedMethod)", caller: caller, address: address)
            }
            if let apiError, apiError.status.code >= 500, apiError.code != "revision_unavailable" {
                self.logger.error("call failed", metadata: ["method": "\(context.descriptor.fullyQualifiedMethod)", "error": "\(error)"])
            }
            throw apiError.map(RPCError.init) ?? RPCError.from(error)
        }
    }

    /// `consistency.min_revision`, waited for as over HTTP (up to 2 s), and no longer than the
    /// call's own deadline: gRPC signals that through the call's cancellation handle, not by
    /// cancelling the task.
    private func wait(for revision: UInt64, context: ServerContext) async throws {
        guard revision > 0, self.service.snapshot.revision < revision else { return }
        let checks = self.checks
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await checks.wait(for: revision) }
            group.addTask {
                try await context.cancellation.cancelled
                throw RPCError(code: .deadlineExceeded, message: "the call ended before revision \(revision) was reached")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func audit(_ error: APIError, route: String, caller: Authentication, address: String) async {
        let who = AuditContext(
            actorID: caller.principal.id,
            keyID: caller.isAPIKey ? caller.keyID : nil,
            clientAddress: address
        )
        let event = EnvelopeMiddleware.denial(error, method: "gRPC", route: route, by: who)
        await self.logger.attempt("write an audit record", metadata: ["action": "\(event.action)"]) { try await self.service.recordAudit(event) }
    }
}
