internal import Authz
internal import AuthzProto
import Foundation
internal import GRPCCore
internal import HTTPTypes
internal import Identity
import JSON
internal import Logging
internal import ServiceLifecycle

/// `authz.v1.AuthzService`: the check API over gRPC. Every call passes the same credential
/// gate as HTTP (same keys, cache, single-flight verification and rate limits, charged to the
/// checks group), is decided by the same code as `/v1/authz/check` (`AuthzController`) on the
/// same snapshot, and its refusals are audited the same way. Watch streams are the event
/// stream's (`ChangeEventStream`), counted against the same per-principal stream limit.
struct AuthzGRPCService: RegistrableRPCService {
    let checks: AuthzController
    let gate: CredentialGate
    let events: ChangeEventStream
    let streams: StreamLimiter
    let logger: Logger

    var service: IdentityService { self.checks.service }

    func check(request: ServerRequest<Authz_V1_CheckRequest>, context: ServerContext) async throws -> ServerResponse<Authz_V1_CheckResponse> {
        try await self.call(request, context) { caller, message in
            var reader = JSONReader()
            let item = CheckItem.parse(message, at: "", inBatch: false, policy: self.service.policy, reader: &reader)
            guard reader.problems.isEmpty, let item else { throw APIError.validation(AuthzController.unique(reader.problems)) }
            try await self.wait(for: message.hasConsistency ? message.consistency.minRevision : nil, context: context)
            let snapshot = self.service.snapshot
            let result = try self.checks.evaluate(item, caller: caller, on: snapshot)
            self.checks.metrics.checksDecided(allowed: result.allowed ? 1 : 0, denied: result.allowed ? 0 : 1)
            return result.message(echo: snapshot.revision)
        }
    }

    /// Read by `CheckBatchDeserializer` and answered through `CheckBatchSerializer`: the
    /// batch goes from the request's bytes to the answer's without a message per item.
    func checkBatch(request: ServerRequest<CheckBatchRequestRead>, context: ServerContext) async throws -> ServerResponse<CheckBatchAnswer> {
        try await self.call(request, context) { caller, read in
            let batch: CheckBatch
            switch read {
            case .invalid(let problems): throw APIError.validation(problems)
            case .batch(let given): batch = given
            }
            try await self.wait(for: batch.minimumRevision, context: context)
            // One snapshot for the whole batch, as over HTTP.
            let decided = try self.checks.evaluate(batch: batch.items, caller: caller, on: self.service.snapshot)
            let allowed = decided.allowedCount
            self.checks.metrics.checksDecided(allowed: allowed, denied: decided.count - allowed)
            return CheckBatchAnswer(decided: decided, echo: batch.echo)
        }
    }

    private func call<Input: Sendable, Output: Sendable>(
        _ request: ServerRequest<Input>,
        _ context: ServerContext,
        _ body: (Authentication, Input) async throws -> Output
    ) async throws -> ServerResponse<Output> {
        ServerResponse(message: try await self.guarded(request.metadata, context) { caller in try await body(caller, request.message) })
    }

    /// Authenticates the call, runs `body`, and turns whatever it throws into the status the
    /// client sees, auditing a refusal of a known caller as HTTP does.
    private func guarded<Result>(
        _ metadata: Metadata,
        _ context: ServerContext,
        _ body: (Authentication) async throws -> Result
    ) async throws -> Result {
        let address = GRPCPeer.address(context.remotePeer)
        var caller: Authentication?
        do {
            let authentication = try await self.gate.authenticate(
                authorization: metadata[stringValues: "authorization"].first(where: { _ in true }),
                checks: true,
                address: address,
                origin: AuditContext(
                    actorID: nil,
                    clientAddress: address,
                    userAgent: metadata[stringValues: "user-agent"].first(where: { _ in true })
                )
            )
            caller = authentication
            return try await body(authentication)
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

    func lookupResources(
        request: ServerRequest<Authz_V1_LookupResourcesRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Authz_V1_LookupResourcesResponse> {
        try await self.lookUp(
            request,
            context,
            parse: { ResourceLookup.parse($0, policy: $1, reader: &$2) },
            answer: self.checks.answer,
            respond: { items, revision, cursor in
                var response = Authz_V1_LookupResourcesResponse()
                (response.items, response.revision, response.cursor) = (items, revision, cursor)
                return response
            }
        )
    }

    func lookupSubjects(
        request: ServerRequest<Authz_V1_LookupSubjectsRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Authz_V1_LookupSubjectsResponse> {
        try await self.lookUp(
            request,
            context,
            parse: { SubjectLookup.parse($0, policy: $1, reader: &$2) },
            answer: self.checks.answer,
            respond: { items, revision, cursor in
                var response = Authz_V1_LookupSubjectsResponse()
                (response.items, response.revision, response.cursor) = (items, revision, cursor)
                return response
            }
        )
    }

    /// A lookup read with the JSON API's parser, answered by the HTTP routes' own code, its page
    /// put in `respond`'s message (an empty cursor on the last page).
    private func lookUp<Input: Sendable, Question: LookupQuestion, Output: Sendable>(
        _ request: ServerRequest<Input>,
        _ context: ServerContext,
        parse: (Input, Policy, inout JSONReader) -> Question?,
        answer: (Question, Authentication, RequestTrace?) throws -> AuthzController.LookupAnswer,
        respond: ([Authz_V1_ObjectReference], UInt64, String) -> Output
    ) async throws -> ServerResponse<Output> {
        try await self.call(request, context) { caller, message in
            var reader = JSONReader()
            guard let question = parse(message, self.service.policy, &reader) else {
                throw APIError.validation(AuthzController.unique(reader.problems))
            }
            try await self.wait(for: question.minimumRevision, context: context)
            let answer = try answer(question, caller, nil)
            return respond(answer.page.ids.map { Self.reference(question.itemType, $0) }, answer.snapshot.revision, answer.cursor ?? "")
        }
    }

    /// The event stream of `/v1/events/stream` as protobuf messages. The caller's place among its
    /// streams is taken before the stream starts (RESOURCE_EXHAUSTED when all are taken) and
    /// given back when it ends, however it ends.
    func watch(
        request: ServerRequest<Authz_V1_WatchRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Authz_V1_WatchResponse> {
        try await self.guarded(request.metadata, context) { caller in
            let after = request.message.after
            let cursor = after.isEmpty ? nil : EventCursor(id: after)
            if !after.isEmpty && cursor == nil {
                throw APIError.validation([FieldError(field: "after", message: "must be the id of an event this stream sent, or a revision")])
            }
            guard let permit = self.streams.take(for: caller) else {
                throw APIError(
                    .tooManyRequests,
                    code: "rate_limited",
                    message: "this principal already has \(self.streams.perPrincipal) event streams open; close one first"
                )
            }
            let events = self.events
            return StreamingServerResponse { writer in
                defer { permit.release() }
                let end = try await Self.untilCancelled(context) {
                    try await events.run(
                        for: caller,
                        after: cursor,
                        ready: { from in try await writer.write(.subscribed(at: from.revision)) },
                        send: { event, at in try await writer.write(.event(event, at: at)) },
                        keepAlive: {}  // HTTP/2 has its own keep-alive
                    )
                }
                switch end {
                case .tooSlow?:
                    throw RPCError(
                        code: .resourceExhausted,
                        message: "too slow: the subscriber fell too far behind; resume after the last event seen"
                    )
                case .credentialEnded?: throw RPCError(code: .unauthenticated, message: "the credential no longer holds")
                case .closed?, nil:
                    // A shutdown may reach the stream first through its feed (closed) or through
                    // the call's own end (nil): either way the client is told to resume.
                    if Task.isShuttingDownGracefully {
                        throw RPCError(code: .unavailable, message: "the server is shutting down; resume after the last event seen")
                    }
                    return [:]
                }
            }
        }
    }

    /// Runs `body` until it returns or the call ends (the client cancelled, or its deadline
    /// passed): gRPC signals that through the call's cancellation handle, not by cancelling
    /// the task, so the two are raced. Nil when the call ended first.
    private static func untilCancelled<Result: Sendable>(
        _ context: ServerContext,
        _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result? {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await context.cancellation.cancelled
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    private static func reference(_ type: String, _ id: UUID) -> Authz_V1_ObjectReference {
        var reference = Authz_V1_ObjectReference()
        reference.type = type
        reference.id = id.text
        return reference
    }

    /// `consistency.min_revision`, waited for as over HTTP (up to 2 s), and no longer than the
    /// call's own deadline: gRPC signals that through the call's cancellation handle, not by
    /// cancelling the task.
    private func wait(for revision: UInt64?, context: ServerContext) async throws {
        guard let revision, revision > 0, self.service.snapshot.revision < revision else { return }
        let checks = self.checks
        guard try await Self.untilCancelled(context, { try await checks.wait(for: revision) }) != nil else {
            throw RPCError(code: .deadlineExceeded, message: "the call ended before revision \(revision) was reached")
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
