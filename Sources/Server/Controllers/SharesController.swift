internal import APIKeys
internal import Authz
import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Identity
import JSON
internal import Workloads

/// `/v1/shares` (create, list, revoke) and the public `GET /v1/public/shares/{token}`, which
/// answers exactly the states table of docs/API.md §5, each with its `Cache-Control`.
struct SharesController {
    let shares: ShareService
    let limiter: RateLimiter<RateLimitKey>

    var service: IdentityService { self.shares.identity }

    static var passwordHeader: HTTPField.Name { HTTPField.Name("X-Share-Password")! }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/shares") { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["resource", "password", "expires_at"])
            let resource = reader.object(fields?["resource"], at: "resource", allowed: ["type", "id"])
            if fields != nil, fields?["resource"] == nil { reader.problem("resource", "is required") }
            let type = reader.string(resource, "type", at: "resource")
            let id = reader.uuid(resource, "id", at: "resource")
            let password = reader.string(fields, "password", at: "", required: false)
            let expiresAt = reader.timestamp(fields, "expires_at", at: "")
            guard reader.problems.isEmpty, let type, let id else { throw APIError.validation(reader.problems) }
            guard [Job.resourceType, WorkflowRun.resourceType, Asset.resourceType].contains(type) else {
                throw APIError.validation([FieldError(field: "resource.type", message: "must be job, workflow_run or asset")])
            }
            try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require("share.create", onStored: type, id: id, caller: caller)
            let (issued, revision) = try await self.shares.create(
                resourceType: type,
                resourceID: id,
                password: password,
                expiresAt: expiresAt,
                creator: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(
                ShareBody(issued.share, token: issued.token),
                status: .created,
                request: request,
                context: context,
                revision: revision
            )
        }
        routes.on(.get, "/v1/shares") { request, context in
            let caller = try context.caller()
            let page = try Page<UUID>(request)
            let organization = try QueryReader.requiredUUID(request, "organization_id")
            let snapshot = self.service.snapshot
            let authorizer = Authorizer(snapshot: snapshot, trace: context.trace)
            try authorizer.require("organization.read", on: authorizer.organization(organization), caller: caller)
            let found = try authorizer.readable(
                "share.read",
                Share.resourceType,
                in: organization,
                caller: caller,
                after: page.after,
                limit: page.limit
            )
            var shares: [Share] = []
            for id in found.ids {
                if let share = try await self.shares.share(id) { shares.append(share) }
            }
            let now = Date()
            return try Envelope.response(
                ListBody(items: shares.map { ShareBody($0, now: now) }),
                request: request,
                context: context,
                revision: snapshot.revision,
                links: found.next != nil ? page.links(request, count: page.limit, last: found.ids.last) : [:]
            )
        }
        routes.on(.post, "/v1/shares/:id/revoke") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(
                "share.revoke",
                onStored: Share.resourceType,
                id: id,
                caller: caller
            )
            let (share, revision) = try await self.shares.revoke(id, audit: context.auditContext())
            return try Envelope.response(ShareBody(share), request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/public/shares/:token") { request, context in
            try await self.open(request, context)
        }
    }

    /// The public read: the read limit per client and share first (no store, no hashing),
    /// then the share service's checks in the order of the states table.
    func open(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let readLimit = self.limiter.take(
            .shareRead(context.clientAddress, Digest.blake2b(Array(token.utf8))),
            perMinute: self.shares.limits.readsPerMinute
        )
        guard readLimit.allowed else {
            context.trace.rateLimit = readLimit
            return try self.refusal(
                .tooManyRequests,
                "share_rate_limited",
                "too many reads of this share; retry after \(readLimit.retryAfter) s",
                request,
                context
            )
        }
        let snapshot = self.service.snapshot
        do {
            let view = try await self.shares.open(token: token, password: request.headers[Self.passwordHeader], client: context.clientAddress) {
                share in
                guard let type = snapshot.policy.resourceType(named: share.resourceType)?.id else { return false }
                return snapshot.resolve(.stored(type: type, id: share.resourceID)) != nil
            }
            var response = try Envelope.response(JSONValue.object(view), request: request, context: context, revision: snapshot.revision)
            response.headers[.cacheControl] = "private, no-store"
            return response
        } catch let error as ShareAccessError {
            switch error {
            case .notFound: return try self.refusal(.notFound, "share_not_found", "no such share", request, context)
            case .revoked: return try self.refusal(.gone, "share_revoked", "the share was revoked", request, context)
            case .expired: return try self.refusal(.gone, "share_expired", "the share has expired", request, context)
            case .passwordRequired:
                return try self.refusal(.unauthorized, "share_password_required", "send the share's password in X-Share-Password", request, context)
            case .wrongPassword: return try self.refusal(.unauthorized, "share_wrong_password", "wrong password", request, context)
            case .locked(let retryAfter, let limit):
                context.trace.rateLimit = RateLimitDecision(allowed: false, limit: limit, remaining: 0, reset: retryAfter, retryAfter: retryAfter)
                return try self.refusal(
                    .tooManyRequests,
                    "share_password_locked",
                    "too many wrong passwords; retry after \(retryAfter) s",
                    request,
                    context
                )
            case .evidenceUnverified:
                return try self.refusal(.conflict, "evidence_unverified", "the share's snapshot failed its integrity check", request, context)
            case .artifactFiltered:
                return try self.refusal(.conflict, "artifact_filtered", "the shared resource is no longer available", request, context)
            case .payloadRejected:
                return try self.refusal(
                    .conflict,
                    "public_payload_policy_rejected",
                    "the snapshot holds fields that may not be public",
                    request,
                    context
                )
            }
        }
    }

    func refusal(
        _ status: HTTPResponse.Status,
        _ code: String,
        _ message: String,
        _ request: Request,
        _ context: AppRequestContext
    ) throws -> Response {
        var response = try Envelope<EmptyPayload>.response(
            nil,
            status: status,
            error: APIError(status, code: code, message: message),
            request: request,
            context: context,
            revision: self.service.snapshot.revision
        )
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
