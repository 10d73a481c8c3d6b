internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

/// `/v1/teams`: teams of an organization and their members.
struct TeamsController {
    let service: IdentityService

    struct TeamBody: Encodable, Sendable {
        let id: String
        let organizationID: String
        let name: String
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, name
            case organizationID = "organization_id"
            case createdAt = "created_at"
        }

        init(_ team: Team) {
            self.id = team.id.text
            self.organizationID = team.organizationID.text
            self.name = team.name
            self.createdAt = Timestamp.format(team.createdAt)
        }
    }

    struct TeamMemberBody: Encodable, Sendable {
        let principalID: String
        let role: String
        @Nullable var name: String?
        @Nullable var email: String?
        let kind: String

        enum CodingKeys: String, CodingKey {
            case role, name, email, kind
            case principalID = "principal_id"
        }

        init(_ member: TeamMember, _ identity: MemberIdentity) {
            self.principalID = member.principalID.text
            self.role = member.role
            self.name = identity.name
            self.email = identity.email
            self.kind = identity.kind
        }
    }

    /// The team's members with who each is, read together.
    func bodies(_ members: [TeamMember]) async throws -> [TeamMemberBody] {
        let principals = try await self.service.principals(members.map(\.principalID))
        return members.map { TeamMemberBody($0, MemberIdentity(principals[$0.principalID])) }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/teams") { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["organization_id", "name"])
            let organization = reader.uuid(fields, "organization_id", at: "")
            let name = reader.string(fields, "name", at: "")
            guard reader.problems.isEmpty, let organization, let name else { throw APIError.validation(reader.problems) }
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("team.create", on: authorizer.organization(organization), caller: caller)
            let (team, revision) = try await self.service.createTeam(organization: organization, name: name, audit: context.auditContext())
            return try Envelope.response(TeamBody(team), status: .created, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/organizations/:id/teams") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("team.read", on: authorizer.organization(id), caller: caller)
            let page = try Page<UUID>(request)
            let teams = try await self.service.teams(organization: id, after: page.after, limit: page.limit)
            return try Envelope.response(
                ListBody(items: teams.map(TeamBody.init)),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: teams.count, last: teams.last?.id)
            )
        }
        routes.on(.get, "/v1/teams/:id") { request, context in
            let team = try await self.guarded(context, "team.read")
            return try Envelope.response(TeamBody(team), request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.patch, "/v1/teams/:id") { request, context in
            let team = try await self.guarded(context, "team.update")
            let name = try OrganizationsController.name(of: try await context.jsonBody(of: request))
            let (renamed, revision) = try await self.service.renameTeam(team.id, name: name, audit: context.auditContext())
            return try Envelope.response(TeamBody(renamed), request: request, context: context, revision: revision)
        }
        routes.on(.delete, "/v1/teams/:id") { request, context in
            let team = try await self.guarded(context, "team.delete")
            let revision = try await self.service.deleteTeam(team.id, audit: context.auditContext())
            return try Envelope<EmptyPayload>.response(nil, request: request, context: context, revision: revision)
        }
        routes.on(.get, "/v1/teams/:id/members") { request, context in
            let team = try await self.guarded(context, "team.read")
            let page = try Page<UUID>(request)
            let members = try await self.service.teamMembers(team: team.id, after: page.after, limit: page.limit)
            return try Envelope.response(
                ListBody(items: try await self.bodies(members)),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: members.count, last: members.last?.principalID)
            )
        }
        routes.on(.put, "/v1/teams/:id/members/:principal_id") { request, context in
            let team = try await self.guarded(context, "team.member.manage")
            let principal = try context.pathID("principal_id")
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["role"])
            guard let role = reader.string(fields, "role", at: ""), reader.problems.isEmpty else { throw APIError.validation(reader.problems) }
            let (member, revision) = try await self.service.setTeamMember(
                team: team.id,
                principal: principal,
                role: role,
                actor: try context.caller().principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(try await self.bodies([member])[0], request: request, context: context, revision: revision)
        }
        routes.on(.delete, "/v1/teams/:id/members/:principal_id") { request, context in
            let caller = try context.caller()
            let principal = try context.pathID("principal_id")
            // Leaving a team needs no permission beyond seeing it.
            let team = try await self.guarded(context, principal == caller.principal.id ? "team.read" : "team.member.manage")
            let revision = try await self.service.removeTeamMember(
                team: team.id,
                principal: principal,
                actor: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope<EmptyPayload>.response(nil, request: request, context: context, revision: revision)
        }
    }

    /// The team of the path, after checking `permission` on it.
    func guarded(_ context: AppRequestContext, _ permission: String) async throws -> Team {
        let caller = try context.caller()
        let id = try context.pathID("id")
        let snapshot = self.service.snapshot
        try Authorizer(snapshot: snapshot, trace: context.trace).require(
            permission,
            on: .stored(type: snapshot.policy.teamType, id: id),
            caller: caller
        )
        guard let team = try await self.service.team(id) else { throw APIError.notFound() }
        return team
    }
}
