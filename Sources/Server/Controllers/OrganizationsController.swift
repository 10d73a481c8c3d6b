internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON
internal import Workloads

/// `/v1/organizations`: create one, read it, and manage its members.
struct OrganizationsController {
    let service: IdentityService
    let assets: AssetService

    struct OrganizationBody: Encodable, Sendable {
        let id: String
        let name: String
        let slug: String
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, name, slug
            case createdAt = "created_at"
        }

        init(_ organization: Organization) {
            self.id = organization.id.text
            self.name = organization.name
            self.slug = organization.slug.value
            self.createdAt = Timestamp.format(organization.createdAt)
        }
    }

    /// A membership: in a members list, and in the answer to accepting an invitation, where
    /// `organization_id` tells the new member which organization it joined.
    struct MemberBody: Encodable, Sendable {
        let organizationID: String
        let principalID: String
        let role: String
        let createdAt: String
        @Nullable var name: String?
        @Nullable var email: String?
        let kind: String

        enum CodingKeys: String, CodingKey {
            case role, name, email, kind
            case organizationID = "organization_id"
            case principalID = "principal_id"
            case createdAt = "created_at"
        }

        init(_ membership: Membership, _ identity: MemberIdentity) {
            self.organizationID = membership.organizationID.text
            self.principalID = membership.principalID.text
            self.role = membership.role
            self.createdAt = Timestamp.format(membership.createdAt)
            self.name = identity.name
            self.email = identity.email
            self.kind = identity.kind
        }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/organizations") { request, context in
            let caller = try context.caller()
            guard caller.principal.kind == .user else {
                throw APIError(.forbidden, code: "forbidden", message: "organizations are created by users, not service keys")
            }
            var reader = JSONReader()
            let members = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["name", "slug"])
            let name = reader.string(members, "name", at: "")
            let slug = reader.string(members, "slug", at: "", required: false)
            guard reader.problems.isEmpty, let name else { throw APIError.validation(reader.problems) }
            let (organization, revision) = try await self.service.createOrganization(
                name: name,
                slug: slug,
                creator: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(OrganizationBody(organization), status: .created, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/organizations/:id") { request, context in
            let (_, id) = try self.guarded(context, "organization.read")
            guard let organization = try await self.service.organization(id) else { throw APIError.notFound() }
            return try Envelope.response(OrganizationBody(organization), request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.patch, "/v1/organizations/:id") { request, context in
            let (_, id) = try self.guarded(context, "organization.update")
            let name = try Self.name(of: try await context.jsonBody(of: request))
            let (organization, revision) = try await self.service.renameOrganization(id, name: name, audit: context.auditContext())
            return try Envelope.response(OrganizationBody(organization), request: request, context: context, revision: revision)
        }
        // Owner only (organization.delete): the organization goes with everything in it; its
        // audit log stays, for platform admins.
        routes.on(.delete, "/v1/organizations/:id") { request, context in
            let (_, id) = try self.guarded(context, "organization.delete")
            let revision = try await self.assets.deleteOrganization(id, audit: context.auditContext())
            return try Envelope<EmptyPayload>.response(nil, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/organizations/:id/members") { request, context in
            let (_, id) = try self.guarded(context, "member.read")
            let page = try Page<UUID>(request)
            let members = try await self.service.members(organization: id, after: page.after, limit: page.limit)
            return try Envelope.response(
                ListBody(items: try await self.bodies(members)),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: members.count, last: members.last?.principalID)
            )
        }
        routes.on(.patch, "/v1/organizations/:id/members/:principal_id") { request, context in
            let (caller, id) = try self.guarded(context, "member.manage")
            let principal = try context.pathID("principal_id")
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["role"])
            guard let role = reader.string(fields, "role", at: ""), reader.problems.isEmpty else { throw APIError.validation(reader.problems) }
            let (membership, revision) = try await self.service.changeRole(
                organization: id,
                principal: principal,
                role: role,
                actor: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(try await self.bodies([membership])[0], request: request, context: context, revision: revision)
        }
        routes.on(.delete, "/v1/organizations/:id/members/:principal_id") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            let principal = try context.pathID("principal_id")
            // Leaving needs no permission; removing someone else needs member.manage.
            try Authorizer(snapshot: self.service.snapshot, trace: context.trace).require(
                principal == caller.principal.id ? "organization.read" : "member.manage",
                on: .stored(type: self.service.policy.organizationType, id: id),
                caller: caller
            )
            let revision = try await self.service.removeMember(
                organization: id,
                principal: principal,
                actor: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope<EmptyPayload>.response(nil, request: request, context: context, revision: revision)
        }
        routes.on(.post, "/v1/organizations/:id/transfer-ownership") { request, context in
            let (caller, id) = try self.guarded(context, "organization.transfer")
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["principal_id"])
            guard let principal = reader.uuid(fields, "principal_id", at: ""), reader.problems.isEmpty else {
                throw APIError.validation(reader.problems)
            }
            let revision = try await self.service.transferOwnership(
                organization: id,
                to: principal,
                actor: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope<EmptyPayload>.response(nil, request: request, context: context, revision: revision)
        }
    }

    /// The caller and the organization id of the path, after checking `permission` on it.
    func guarded(_ context: AppRequestContext, _ permission: String) throws -> (Authentication, UUID) {
        let caller = try context.caller()
        let id = try context.pathID("id")
        let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
        try authorizer.require(permission, on: authorizer.organization(id), caller: caller)
        return (caller, id)
    }

    /// The members with who each is, read together.
    func bodies(_ members: [Membership]) async throws -> [MemberBody] {
        let principals = try await self.service.principals(members.map(\.principalID))
        return members.map { MemberBody($0, MemberIdentity(principals[$0.principalID])) }
    }

    /// `{"name": ...}`, the only field a rename takes (organizations and teams alike).
    static func name(of body: JSONValue) throws -> String {
        var reader = JSONReader()
        let fields = reader.object(body, at: "", allowed: ["name"])
        guard let name = reader.string(fields, "name", at: ""), reader.problems.isEmpty else { throw APIError.validation(reader.problems) }
        return name
    }
}
