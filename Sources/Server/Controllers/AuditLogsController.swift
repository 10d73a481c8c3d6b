internal import APIKeys
internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

/// `/v1/organizations/{id}/audit-logs` (`audit_log.read`) and `/v1/audit-logs` (platform
/// admins): the audit log, oldest first, filtered by actor, action, outcome and time.
struct AuditLogsController {
    let service: IdentityService

    struct RecordBody: Encodable, Sendable {
        struct Target: Encodable, Sendable {
            let type: String
            let id: String
        }

        let id: String
        let sequence: String
        @Nullable var organizationID: String?
        @Nullable var actorID: String?
        @Nullable var keyID: String?
        let action: String
        @Nullable var target: Target?
        let outcome: String
        @Nullable var requestID: String?
        @Nullable var clientAddress: String?
        @Nullable var userAgent: String?
        let data: [String: String]
        let createdAt: String
        /// The record's link in its organization's chain, hex: what `authz audit verify` checks.
        let hash: String

        enum CodingKeys: String, CodingKey {
            case id, sequence, action, target, outcome, data, hash
            case organizationID = "organization_id"
            case actorID = "actor_id"
            case keyID = "key_id"
            case requestID = "request_id"
            case clientAddress = "client_address"
            case userAgent = "user_agent"
            case createdAt = "created_at"
        }

        init(_ record: AuditRecord) {
            let event = record.event
            self.id = event.id.text
            self.sequence = String(record.sequence)
            self.organizationID = event.organizationID?.text
            self.actorID = event.context.actorID?.text
            self.keyID = event.context.keyID?.text
            self.action = event.action
            // A reference needs an id: an action on something without one (a provider, named
            // in `data`) has no target.
            self.target = event.targetType.flatMap { type in event.targetID.map { Target(type: type, id: $0.text) } }
            self.outcome = event.outcome.rawValue
            self.requestID = event.context.requestID?.text
            self.clientAddress = event.context.clientAddress
            self.userAgent = event.context.userAgent
            self.data = event.data
            self.createdAt = Timestamp.format(event.createdAt)
            self.hash = Hex.encode(record.hash)
        }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/v1/organizations/:id/audit-logs") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("audit_log.read", on: authorizer.organization(id), caller: caller)
            var filter = try Self.filter(request)
            filter.organization = id
            return try await self.page(filter, request: request, context: context)
        }
        routes.on(.get, "/v1/audit-logs") { request, context in
            let caller = try context.caller()
            guard caller.principal.isPlatformAdmin, caller.scopes == nil else {
                throw APIError(.forbidden, code: "forbidden", message: "the platform audit log is for platform admins")
            }
            var filter = try Self.filter(request)
            if let organization = try QueryReader.uuid(request, "organization_id") { filter.organization = organization }
            return try await self.page(filter, request: request, context: context)
        }
    }

    func page(_ filter: AuditFilter, request: Request, context: AppRequestContext) async throws -> Response {
        let page = try Page<Int64>(request)
        let records = try await self.service.auditRecords(filter, after: page.after ?? 0, limit: page.limit)
        return try Envelope.response(
            ListBody(items: records.map(RecordBody.init)),
            request: request,
            context: context,
            revision: self.service.snapshot.revision,
            links: page.links(request, count: records.count, last: records.last?.sequence)
        )
    }

    /// `actor`, `action`, `outcome`, `from`, `to` from the query, each checked.
    static func filter(_ request: Request) throws -> AuditFilter {
        var query = QueryReader(request)
        var filter = AuditFilter()
        filter.actor = query.uuid("actor")
        if let text = query.parameters["action"] {
            if (1...100).contains(text.count) { filter.action = String(text) } else { query.problem("action", "must be 1 to 100 characters") }
        }
        if let text = query.parameters["outcome"] {
            if let outcome = AuditOutcome(rawValue: String(text)) {
                filter.outcome = outcome
            } else {
                query.problem("outcome", "must be success, denied or failure")
            }
        }
        filter.from = query.timestamp("from")
        filter.to = query.timestamp("to")
        guard query.problems.isEmpty else { throw APIError.validation(query.problems) }
        return filter
    }
}
