internal import Authz
import Foundation
internal import HTTPTypes
internal import Identity

/// How every guarded route asks the evaluator: allowed, or refused with the status that
/// reveals nothing — 404 when the caller cannot see the resource's organization (or the
/// resource does not exist), 403 when it can but lacks the permission.
struct Authorizer {
    let snapshot: AuthzSnapshot
    /// Where the organization (and team) a permitted request is about is noted, for the
    /// envelope's `context`; never one the caller cannot see.
    var trace: RequestTrace?

    func require(_ permissionName: String, on resource: ResourceReference, caller: Authentication) throws {
        guard let permission = self.snapshot.policy.permission(named: permissionName) else {
            throw APIError.unexpected
        }
        let decision = self.snapshot.check(
            CheckRequest(subject: caller.principal.id, permission: permission, resource: resource, scopes: caller.scopes)
        )
        // Resolved once, for the envelope's context and the audit of a refusal alike.
        let resolved = decision.denial == .resourceNotFound || (decision.allowed && self.trace == nil) ? nil : self.snapshot.resolve(resource)
        if decision.allowed || decision.denial == .noGrant || decision.denial == .outsideScopes, let trace = self.trace, let resolved {
            trace.place = (resolved.organization, resolved.team)
        }
        if decision.allowed { return }
        var error =
            switch decision.denial {
            case .resourceNotFound?, .notMember?, .notApplicable?, nil: APIError.notFound()
            case .noGrant?, .outsideScopes?: APIError(.forbidden, code: "forbidden", message: "\(permissionName) is required")
            }
        // The resource exists: a refusal to audit (an unknown id is just not found).
        if let resolved {
            error.denied = DeniedAccess(
                permission: permissionName,
                resourceType: self.snapshot.policy.type(resolved.type).name,
                resourceID: resolved.id,
                organizationID: resolved.organization
            )
        }
        throw error
    }

    /// `permission` on the team when one is named (it must be of the organization: otherwise
    /// 404, after the organization itself was checked, so nothing is revealed), else on the
    /// organization: how resources that may belong to a team are created.
    func require(_ permission: String, inOrganization organization: UUID, team: UUID?, caller: Authentication) throws {
        guard let team else { return try self.require(permission, on: self.organization(organization), caller: caller) }
        guard self.snapshot.resolve(.stored(type: self.snapshot.policy.teamType, id: team))?.organization == organization else {
            try self.require(permission, on: self.organization(organization), caller: caller)
            throw APIError.notFound("no such team")
        }
        try self.require(permission, on: .stored(type: self.snapshot.policy.teamType, id: team), caller: caller)
    }

    /// `permission` on the stored resource `id` of the type named `typeName`.
    func require(_ permission: String, onStored typeName: String, id: UUID, caller: Authentication) throws {
        guard let type = self.snapshot.policy.resourceType(named: typeName)?.id else { throw APIError.unexpected }
        try self.require(permission, on: .stored(type: type, id: id), caller: caller)
    }

    /// A page of the ids of `typeName` in `organization` on which the caller holds
    /// `permission` (narrowed by its scopes): how lists show only what the caller may read.
    func readable(
        _ permission: String,
        _ typeName: String,
        in organization: UUID,
        caller: Authentication,
        after: UUID?,
        limit: Int
    ) throws -> LookupPage {
        guard let permissionID = self.snapshot.policy.permission(named: permission),
            let type = self.snapshot.policy.resourceType(named: typeName)?.id
        else { throw APIError.unexpected }
        return self.snapshot.lookupResources(
            subject: caller.principal.id,
            permission: permissionID,
            type: type,
            organization: organization,
            scopes: caller.scopes,
            after: after,
            limit: limit
        )
    }

    func organization(_ id: UUID) -> ResourceReference {
        .stored(type: self.snapshot.policy.organizationType, id: id)
    }
}
