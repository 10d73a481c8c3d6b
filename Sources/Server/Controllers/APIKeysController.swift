internal import APIKeys
internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

/// `/v1/api-keys`: personal keys (acting as their user, narrowed by scopes) and organization
/// keys (a service principal holding a role). The secret appears in exactly two answers —
/// creation and rotation — and nowhere else, ever.
struct APIKeysController {
    let service: IdentityService
    let hasher: PasswordHasher

    struct KeyBody: Encodable, Sendable {
        let id: String
        let name: String
        let prefix: String
        /// Only in the answers that create a key (creation, rotation).
        let key: String?
        let principalID: String
        @Nullable var organizationID: String?
        @Nullable var role: String?
        @Nullable var scopes: [String]?
        let status: String
        let createdAt: String
        @Nullable var expiresAt: String?
        @Nullable var lastUsedAt: String?
        @Nullable var replacedBy: String?
        @Nullable var replaces: String?

        enum CodingKeys: String, CodingKey {
            case id, name, prefix, key, role, scopes, status
            case principalID = "principal_id"
            case organizationID = "organization_id"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case lastUsedAt = "last_used_at"
            case replacedBy = "replaced_by"
            case replaces
        }

        init(_ record: APIKeyRecord, key: String? = nil, now: Date = Date()) {
            self.id = record.id.text
            self.name = record.name
            self.prefix = APIKey.displayPrefix(id: record.id)
            self.key = key
            self.principalID = record.principalID.text
            self.organizationID = record.organizationID?.text
            self.role = record.role
            self.scopes = record.scopes
            // `expired` and `rotating` are derived: an active key past its expiry (a rotated key
            // after its grace period, too), and a rotated key inside its grace period, which
            // `expires_at` ends.
            let expired = record.expiresAt.map { $0 <= now } == true
            self.status =
                switch record.status {
                case .active where expired: "expired"
                case .active where record.replacedBy != nil: "rotating"
                default: record.status.rawValue
                }
            self.createdAt = Timestamp.format(record.createdAt)
            self.expiresAt = record.expiresAt.map(Timestamp.format)
            self.lastUsedAt = record.lastUsedAt.map(Timestamp.format)
            self.replacedBy = record.replacedBy?.text
            self.replaces = record.replaces?.text
        }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/api-keys", idempotent: true) { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let fields = reader.object(
                try await context.jsonBody(of: request),
                at: "",
                allowed: ["name", "organization_id", "role", "scopes", "expires_at"]
            )
            let name = reader.string(fields, "name", at: "")
            let organization = reader.uuid(fields, "organization_id", at: "", required: false)
            let role = reader.string(fields, "role", at: "", required: false)
            let scopes = reader.strings(fields, "scopes", at: "")
            let expiresAt = reader.timestamp(fields, "expires_at", at: "")
            guard reader.problems.isEmpty, let name else { throw APIError.validation(reader.problems) }
            if let organization {
                let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
                try authorizer.require("api_key.create", on: authorizer.organization(organization), caller: caller)
            } else {
                try self.requireScope("api_key.create", caller)
            }
            try self.requireWithinCallerScopes(scopes, caller)
            let (issued, revision) = try await self.service.createAPIKey(
                name: name,
                organization: organization,
                role: role,
                scopes: scopes,
                expiresAt: expiresAt,
                actor: caller.principal.id,
                audit: context.auditContext(),
                hasher: self.hasher
            )
            return try Envelope.response(
                KeyBody(issued.record, key: issued.key),
                status: .created,
                request: request,
                context: context,
                revision: revision
            )
        }
        routes.on(.get, "/v1/api-keys") { request, context in
            let caller = try context.caller()
            let page = try Page<UUID>(request)
            let keys: [APIKeyRecord]
            if let organization = try QueryReader.uuid(request, "organization_id") {
                let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
                try authorizer.require("api_key.read", on: authorizer.organization(organization), caller: caller)
                keys = try await self.service.organizationAPIKeys(organization, after: page.after, limit: page.limit)
            } else {
                try self.requireScope("api_key.read", caller)
                keys = try await self.service.personalAPIKeys(of: caller.principal.id, after: page.after, limit: page.limit)
            }
            let now = Date()
            return try Envelope.response(
                ListBody(items: keys.map { KeyBody($0, now: now) }),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: keys.count, last: keys.last?.id)
            )
        }
        routes.on(.get, "/v1/api-keys/:id") { request, context in
            let key = try await self.guarded(context, "api_key.read")
            return try Envelope.response(KeyBody(key), request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.delete, "/v1/api-keys/:id") { request, context in
            let key = try await self.guarded(context, "api_key.manage")
            let (revoked, revision) = try await self.service.revokeAPIKey(
                key.id,
                actor: try context.caller().principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(KeyBody(revoked), request: request, context: context, revision: revision)
        }
        routes.on(.post, "/v1/api-keys/:id/disable") { request, context in
            let key = try await self.guarded(context, "api_key.manage")
            let (disabled, revision) = try await self.service.disableAPIKey(
                key.id,
                actor: try context.caller().principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(KeyBody(disabled), request: request, context: context, revision: revision)
        }
        routes.on(.post, "/v1/api-keys/:id/enable") { request, context in
            let key = try await self.guarded(context, "api_key.manage")
            let (enabled, revision) = try await self.service.enableAPIKey(
                key.id,
                actor: try context.caller().principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(KeyBody(enabled), request: request, context: context, revision: revision)
        }
        routes.on(.post, "/v1/api-keys/:id/rotate") { request, context in
            let key = try await self.guarded(context, "api_key.manage")
            var grace = 0
            // The body is optional: no body rotates at once.
            if request.headers[.contentType] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0 {
                var reader = JSONReader()
                let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["grace_period_seconds"])
                let seconds = reader.integer(fields, "grace_period_seconds", at: "", in: 0...IdentityService.maximumGracePeriod)
                guard reader.problems.isEmpty else { throw APIError.validation(reader.problems) }
                grace = seconds ?? 0
            }
            let (issued, revision) = try await self.service.rotateAPIKey(
                key.id,
                gracePeriod: grace,
                actor: try context.caller().principal.id,
                audit: context.auditContext(),
                hasher: self.hasher
            )
            return try Envelope.response(
                KeyBody(issued.record, key: issued.key),
                status: .created,
                request: request,
                context: context,
                revision: revision
            )
        }
    }

    /// The key of the path, once the caller may do `permission` to it. A personal key is
    /// visible to its user alone (anyone else gets 404); an organization key is a resource of
    /// its organization, guarded by the policy (admins, and the key's creator).
    func guarded(_ context: AppRequestContext, _ permission: String) async throws -> APIKeyRecord {
        let caller = try context.caller()
        let id = try context.pathID("id")
        let snapshot = self.service.snapshot
        if let type = snapshot.policy.resourceType(named: APIKeyRecord.resourceType)?.id, snapshot.resolve(.stored(type: type, id: id)) != nil {
            try Authorizer(snapshot: snapshot, trace: context.trace).require(permission, on: .stored(type: type, id: id), caller: caller)
            guard let key = try await self.service.apiKey(id), key.organizationID != nil else { throw APIError.notFound() }
            return key
        }
        guard let key = try await self.service.apiKey(id), key.organizationID == nil, key.principalID == caller.principal.id else {
            throw APIError.notFound()
        }
        try self.requireScope(permission, caller)
        return key
    }

    /// A scoped key reaches routes without an organization (personal keys) only when its
    /// scopes name the permission the route stands for.
    func requireScope(_ permission: String, _ caller: Authentication) throws {
        guard let scopes = caller.scopes else { return }
        guard let id = self.service.policy.permission(named: permission), scopes.contains(id) else {
            throw APIError(.forbidden, code: "forbidden", message: "the key's scopes do not include \(permission)")
        }
    }

    /// A scoped key cannot mint a key broader than itself: the new key must be scoped, within
    /// the caller's scopes.
    func requireWithinCallerScopes(_ requested: [String]?, _ caller: Authentication) throws {
        guard let scopes = caller.scopes else { return }
        let policy = self.service.policy
        guard let requested, requested.allSatisfy({ policy.permission(named: $0).map(scopes.contains) ?? true }) else {
            throw APIError(.forbidden, code: "forbidden", message: "a scoped key can only create keys within its own scopes")
        }
    }
}
