internal import Authz
import Foundation
internal import Hummingbird
internal import Identity
import JSON

/// `/v1/me`: who the caller is.
struct MeController {
    struct Me: Encodable, Sendable {
        let id: String
        let kind: String
        @Nullable var email: String?
        @Nullable var name: String?
        let platformAdmin: Bool
        let createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, kind, email, name
            case platformAdmin = "platform_admin"
            case createdAt = "created_at"
        }
    }

    let service: IdentityService

    struct MembershipBody: Encodable, Sendable {
        let organization: OrganizationsController.OrganizationBody
        let role: String
    }

    struct TeamMembershipBody: Encodable, Sendable {
        let team: TeamsController.TeamBody
        let role: String
    }

    struct PermissionsBody: Encodable, Sendable {
        struct TeamPermissions: Encodable, Sendable {
            let team: String
            let role: String
            let permissions: [String]
        }

        let organizationID: String
        let role: String?
        let platformAdmin: Bool
        let permissions: [String]
        let teams: [TeamPermissions]
        /// The organization roles the caller may grant (invite with, assign, give a key):
        /// `RoleGrantRule`'s answer for each, so a client offers only what will be accepted.
        let grantableRoles: [String]

        enum CodingKeys: String, CodingKey {
            case role, permissions, teams
            case organizationID = "organization_id"
            case platformAdmin = "platform_admin"
            case grantableRoles = "grantable_roles"
        }
    }

    func addRoutes(to routes: inout Routes) {
        routes.on(.get, "/v1/me") { request, context in
            let principal = try context.caller().principal
            let me = Me(
                id: principal.id.text,
                kind: principal.kind.rawValue,
                email: principal.email,
                name: principal.name,
                platformAdmin: principal.isPlatformAdmin,
                createdAt: Timestamp.format(principal.createdAt)
            )
            return try Envelope.response(me, request: request, context: context, revision: self.service.snapshot.revision)
        }
        routes.on(.get, "/v1/me/organizations") { request, context in
            let caller = try context.caller()
            let page = try Page<UUID>(request)
            let memberships = page.slice(try await self.service.memberships(of: caller.principal.id), by: \.organizationID)
            var items: [MembershipBody] = []
            for membership in memberships {
                if let organization = try await self.service.organization(membership.organizationID) {
                    items.append(MembershipBody(organization: .init(organization), role: membership.role))
                }
            }
            return try Envelope.response(
                ListBody(items: items),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: memberships.count, last: memberships.last?.organizationID)
            )
        }
        routes.on(.get, "/v1/me/teams") { request, context in
            let caller = try context.caller()
            let page = try Page<UUID>(request)
            let memberships = page.slice(try await self.service.teamMemberships(of: caller.principal.id), by: \.teamID)
            var items: [TeamMembershipBody] = []
            for membership in memberships {
                if let team = try await self.service.team(membership.teamID) {
                    items.append(TeamMembershipBody(team: .init(team), role: membership.role))
                }
            }
            return try Envelope.response(
                ListBody(items: items),
                request: request,
                context: context,
                revision: self.service.snapshot.revision,
                links: page.links(request, count: memberships.count, last: memberships.last?.teamID)
            )
        }
        routes.on(.get, "/v1/me/permissions") { request, context in
            let caller = try context.caller()
            let organization = try QueryReader.requiredUUID(request, "organization_id")
            let snapshot = self.service.snapshot
            guard let access = snapshot.effectiveAccess(of: caller.principal.id, in: organization) else { throw APIError.notFound() }
            // A scoped key sees what it may actually use: the intersection.
            let allowed: ([String]) -> [String] = { names in
                guard let scopes = caller.scopes else { return names }
                return names.filter { snapshot.policy.permission(named: $0).map(scopes.contains) ?? false }
            }
            let body = PermissionsBody(
                organizationID: organization.text,
                role: access.role,
                platformAdmin: access.isPlatformAdmin,
                permissions: allowed(access.permissions),
                teams: access.teams.map { .init(team: $0.team.text, role: $0.role, permissions: allowed($0.permissions)) },
                grantableRoles: snapshot.policy.organization.roles.map(\.name).filter { role in
                    do {
                        try RoleGrantRule.check(
                            granterRole: access.role,
                            isPlatformAdmin: access.isPlatformAdmin,
                            grants: role,
                            policy: snapshot.policy
                        )
                        return true
                    } catch {
                        // Above the caller's own role: the answer, not a failure.
                        return false
                    }
                }
            )
            return try Envelope.response(body, request: request, context: context, revision: snapshot.revision)
        }
    }
}
