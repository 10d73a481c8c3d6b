internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

/// `/v1/invitations`: invite by email, accept with the token shown once, revoke.
struct InvitationsController {
    let service: IdentityService
    /// Where the console accepts an invitation (`/console#/accept`), named with the invitation's
    /// id and token in the `url` of the answer that creates it; nil without the console.
    let acceptPage: String?

    struct InvitationBody: Encodable, Sendable {
        let id: String
        let organizationID: String
        let email: String
        let role: String
        let teamID: String?
        let teamRole: String?
        let status: String
        let createdAt: String
        let expiresAt: String
        /// Only in the answer that creates it.
        let token: String?
        /// The console's accept link (`/console#/accept/{id}/{token}`), only in the answer that
        /// creates it. The token rides in the fragment, which browsers send to no server and
        /// put in no `Referer`.
        let url: String?

        enum CodingKeys: String, CodingKey {
            case id, email, role, status, token, url
            case organizationID = "organization_id"
            case teamID = "team_id"
            case teamRole = "team_role"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
        }

        init(_ invitation: Invitation, token: String? = nil, acceptPage: String? = nil, now: Date = Date()) {
            self.id = invitation.id.text
            self.organizationID = invitation.organizationID.text
            self.email = invitation.email
            self.role = invitation.role
            self.teamID = invitation.teamID?.text
            self.teamRole = invitation.teamRole
            self.status = invitation.status(at: now).rawValue
            self.createdAt = Timestamp.format(invitation.createdAt)
            self.expiresAt = Timestamp.format(invitation.expiresAt)
            self.token = token
            self.url = token.flatMap { token in acceptPage.map { "\($0)/\(invitation.id.text)/\(token)" } }
        }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.post, "/v1/invitations") { request, context in
            let caller = try context.caller()
            var reader = JSONReader()
            let fields = reader.object(
                try await context.jsonBody(of: request),
                at: "",
                allowed: ["organization_id", "email", "role", "team_id", "team_role", "expires_in_hours"]
            )
            let organization = reader.uuid(fields, "organization_id", at: "")
            let email = reader.string(fields, "email", at: "")
            let role = reader.string(fields, "role", at: "")
            let team = reader.uuid(fields, "team_id", at: "", required: false)
            let teamRole = reader.string(fields, "team_role", at: "", required: false)
            var hours: Int?
            switch fields?["expires_in_hours"] {
            case .number(let number)? where number == number.rounded() && abs(number) < 1e9: hours = Int(number)
            case nil, .null?: hours = nil
            default: reader.problem("expires_in_hours", "must be a whole number of hours")
            }
            guard reader.problems.isEmpty, let organization, let email, let role else { throw APIError.validation(reader.problems) }
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("invitation.create", on: authorizer.organization(organization), caller: caller)
            let (invitation, token, revision) = try await self.service.createInvitation(
                organization: organization,
                email: email,
                role: role,
                team: team,
                teamRole: teamRole,
                expiresInHours: hours,
                actor: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(
                InvitationBody(invitation, token: token.text, acceptPage: self.acceptPage),
                status: .created,
                request: request,
                context: context,
                revision: revision
            )
        }
        routes.on(.get, "/v1/organizations/:id/invitations") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("invitation.read", on: authorizer.organization(id), caller: caller)
            let page = try Page<UUID>(request)
            let invitations = try await self.service.invitations(organization: id, after: page.after, limit: page.limit)
            return try Envelope.response(
                ListBody(items: invitations.map { InvitationBody($0) }),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: invitations.count, last: invitations.last?.id)
            )
        }
        routes.on(.post, "/v1/invitations/:id/accept") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            var reader = JSONReader()
            let fields = reader.object(try await context.jsonBody(of: request), at: "", allowed: ["token"])
            guard let token = reader.string(fields, "token", at: ""), reader.problems.isEmpty else { throw APIError.validation(reader.problems) }
            // The invitee is not a member yet: the token, not the evaluator, is its authority.
            let (membership, revision) = try await self.service.acceptInvitation(
                id,
                token: InvitationToken(text: token),
                principal: caller.principal.id,
                audit: context.auditContext()
            )
            return try Envelope.response(
                OrganizationsController.MemberBody(membership, MemberIdentity(caller.principal)),
                request: request,
                context: context,
                revision: revision
            )
        }
        routes.on(.post, "/v1/invitations/:id/revoke") { request, context in
            let caller = try context.caller()
            let id = try context.pathID("id")
            guard let invitation = try await self.service.invitation(id) else { throw APIError.notFound() }
            let authorizer = Authorizer(snapshot: self.service.snapshot, trace: context.trace)
            try authorizer.require("invitation.revoke", on: authorizer.organization(invitation.organizationID), caller: caller)
            let (revoked, revision) = try await self.service.revokeInvitation(id, audit: context.auditContext())
            return try Envelope.response(InvitationBody(revoked), request: request, context: context, revision: revision)
        }
    }
}
