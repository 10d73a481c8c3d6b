internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

/// `/v1/authz/check` and `/v1/authz/check-batch`: the evaluator, over HTTP.
struct AuthzController {
    let service: IdentityService
    let metrics: ServiceMetrics

    static var batchLimit: Int { 1_000 }
    /// How long `consistency.min_revision` may wait for this replica to catch up.
    static var revisionWait: Duration { .seconds(2) }

    /// The batch's answer: written by `JSONWritable` straight from the decisions on the hot
    /// path; the `Encodable` form (the same bytes, `JSONTests`) is what the envelope's type
    /// asks for.
    struct BatchResult: Encodable, Sendable {
        let batch: DecidedBatch
        let echo: Bool

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(String(self.batch.snapshot.revision), forKey: .revision)
            if self.echo {
                try container.encode(self.batch.results, forKey: .results)
            } else {
                try container.encode(self.batch.results.map(CheckResult.Verdict.init), forKey: .results)
            }
        }

        enum CodingKeys: String, CodingKey {
            case results, revision
        }
    }

    func addRoutes(to routes: inout Routes) {
        self.addLookupRoutes(to: &routes)
        routes.on(.post, "/v1/authz/check") { request, context in
            let caller = try context.caller()
            let body = try await context.jsonBody(of: request)
            var reader = JSONReader()
            let policy = self.service.policy
            // `parse` checks the object and its fields; `consistency` is read from the same members.
            let item = CheckItem.parse(body, at: "", allowed: CheckItem.fields, policy: policy, reader: &reader)
            let members: [String: JSONValue]? = if case .object(let fields) = body { fields } else { nil }
            let minimum = Self.minimumRevision(members, reader: &reader)
            guard reader.problems.isEmpty, let item else { throw APIError.validation(Self.unique(reader.problems)) }
            if let minimum { try await self.wait(for: minimum) }
            let snapshot = self.service.snapshot
            let result = try self.evaluate(item, caller: caller, on: snapshot)
            self.metrics.checksDecided(allowed: result.allowed ? 1 : 0, denied: result.allowed ? 0 : 1)
            return try Envelope.response(result, request: request, context: context, revision: snapshot.revision)
        }
        routes.on(.post, "/v1/authz/check-batch") { request, context in
            let caller = try context.caller()
            let body = try await context.jsonBytes(of: request)
            let policy = self.service.policy
            // The scanner reads the common shape straight from the bytes; anything else (and
            // every mistake) goes through the general parser, which names each problem.
            let batch =
                try CheckBatchScanner.scan(body, policy: policy, batchLimit: Self.batchLimit) ?? Self.batch(JSONReader.parse(body), policy: policy)
            try await self.wait(for: batch.minimumRevision)
            // One snapshot for the whole batch: the answers agree with each other and share
            // one revision.
            let snapshot = self.service.snapshot
            let decided = try self.evaluate(batch: batch.items, caller: caller, on: snapshot)
            let allowed = decided.allowedCount
            self.metrics.checksDecided(allowed: allowed, denied: decided.count - allowed)
            return try Envelope.response(
                BatchResult(batch: decided, echo: batch.echo),
                request: request,
                context: context,
                revision: snapshot.revision
            )
        }
    }

    /// A batch body read by the general parser: every problem, each with its field path.
    static func batch(_ body: JSONValue, policy: Policy) throws -> CheckBatch {
        var reader = JSONReader()
        let members = reader.object(body, at: "", allowed: ["checks", "consistency", "echo"])
        var items: [CheckItem] = []
        switch members?["checks"] {
        case .array(let checks)?:
            if checks.isEmpty || checks.count > Self.batchLimit {
                reader.problem("checks", "must hold 1 to \(Self.batchLimit) checks, not \(checks.count)")
            } else {
                for (index, check) in checks.enumerated() {
                    if let item = CheckItem.parse(check, at: "checks[\(index)]", allowed: CheckItem.batchItemFields, policy: policy, reader: &reader)
                    {
                        items.append(item)
                    }
                }
            }
        case nil, .null?:
            if members != nil { reader.problem("checks", "is required") }
        case let other?:
            reader.problem("checks", "must be a list, not \(other.kind)")
        }
        let minimum = Self.minimumRevision(members, reader: &reader)
        let echo = reader.bool(members, "echo", at: "") ?? true
        guard reader.problems.isEmpty else { throw APIError.validation(Self.unique(reader.problems)) }
        return CheckBatch(items: items, minimumRevision: minimum, echo: echo)
    }

    /// A check about the caller is answered for anyone (narrowed by the caller's key scopes);
    /// one about another subject needs `authz.check` on the resource's organization — 404 if
    /// the caller cannot see that organization or resource at all, 403 if it can but lacks it.
    func evaluate(_ item: CheckItem, caller: Authentication, on snapshot: AuthzSnapshot) throws -> CheckResult {
        let request = try self.request(for: item, caller: caller, on: snapshot)
        if item.explain {
            let (decision, trace) = snapshot.explain(request)
            return CheckResult(item, subject: request.subject, decision: decision, trace: trace, snapshot: snapshot)
        }
        return CheckResult(item, subject: request.subject, decision: snapshot.check(request), trace: nil, snapshot: snapshot)
    }

    /// The items of a batch, authorized one by one (a refusal names its `checks[i]`), then
    /// decided together by the evaluator's batch path, which overlaps the checks' lookups;
    /// those asking for an explanation are traced one by one.
    func evaluate(batch items: [CheckItem], caller: Authentication, on snapshot: AuthzSnapshot) throws -> DecidedBatch {
        // Checks for others need `authz.check` on each item's organization: asked once per
        // organization in the batch, not once per item.
        var permitted: Set<UUID> = []
        var requests: [CheckRequest] = []
        requests.reserveCapacity(items.count)
        for index in items.indices {
            do {
                requests.append(try self.request(for: items[index], caller: caller, on: snapshot, permitted: &permitted))
            } catch let error as APIError {
                throw APIError(error.status, code: error.code, message: "checks[\(index)]: \(error.message)")
            }
        }
        var decisions = snapshot.check(batch: requests)
        var traces: [Int: [TraceStep]] = [:]
        for index in items.indices where items[index].explain {
            (decisions[index], traces[index]) = snapshot.explain(requests[index])
        }
        return DecidedBatch(items: items, subjects: requests.map(\.subject), decisions: decisions, traces: traces, snapshot: snapshot)
    }

    /// The evaluator's question for an item, once the caller may ask it.
    private func request(for item: CheckItem, caller: Authentication, on snapshot: AuthzSnapshot) throws -> CheckRequest {
        var permitted: Set<UUID> = []
        return try self.request(for: item, caller: caller, on: snapshot, permitted: &permitted)
    }

    /// `permitted`: the organizations in which the caller was already found to hold
    /// `authz.check` (during this batch, on this snapshot).
    private func request(for item: CheckItem, caller: Authentication, on snapshot: AuthzSnapshot, permitted: inout Set<UUID>) throws -> CheckRequest {
        let me = caller.principal.id
        let subject = item.subject ?? me
        if subject != me {
            guard let resource = snapshot.resolve(item.resource) else { throw APIError.notFound("no such resource") }
            if !permitted.contains(resource.organization) {
                let authorizer = Authorizer(snapshot: snapshot)
                try authorizer.require("authz.check", on: authorizer.organization(resource.organization), caller: caller)
                permitted.insert(resource.organization)
            }
        }
        return CheckRequest(subject: subject, permission: item.permission, resource: item.resource, scopes: subject == me ? caller.scopes : nil)
    }

    static func minimumRevision(_ members: [String: JSONValue]?, reader: inout JSONReader) -> UInt64? {
        guard let consistency = members?["consistency"], consistency != .null else { return nil }
        let fields = reader.object(consistency, at: "consistency", allowed: ["min_revision"])
        return reader.revision(fields, "min_revision", at: "consistency")
    }

    /// Reads one's own writes through any replica: wait, bounded, for the revision.
    nonisolated(nonsending) func wait(for revision: UInt64?) async throws {
        guard let revision, self.service.snapshot.revision < revision else { return }
        guard try await self.service.follower.waitUntilApplied(revision, timeout: Self.revisionWait) else {
            throw APIError(.serviceUnavailable, code: "revision_unavailable", message: "revision \(revision) was not reached in time; retry")
        }
    }

    /// The same field reported twice (it is read by more than one rule) is reported once.
    static func unique(_ problems: [FieldError]) -> [FieldError] {
        var seen = Set<String>()
        return problems.filter { seen.insert("\($0.field)\u{0}\($0.message)").inserted }
    }
}
