public import Foundation

extension AuthzSnapshot {
    /// Deny by default: allowed only through the subject's organization role, its role in the
    /// team owning the resource, the creator rule, or platform administration — and never
    /// for a subject outside the resource's organization.
    public func check(_ request: CheckRequest) -> Decision {
        var tracer = UntracedDecision()
        return self.evaluate(request, tracer: &tracer)
    }

    /// The same decision with the steps that led to it.
    public func explain(_ request: CheckRequest) -> (Decision, [TraceStep]) {
        var tracer = RecordedDecision(resourceID: request.resource.idText)
        let decision = self.evaluate(request, tracer: &tracer)
        return (decision, tracer.steps)
    }

    /// A check on a resource already resolved (by `resolve`, or by a lookup).
    public func check(_ subject: UUID, _ permission: PermissionID, on resource: ResolvedResource, scopes: PermissionSet? = nil) -> Decision {
        var tracer = UntracedDecision()
        return self.decide(subject, permission, resource, scopes: scopes, tracer: &tracer)
    }

    func evaluate<Tracer: DecisionTracer>(_ request: CheckRequest, tracer: inout Tracer) -> Decision {
        guard let resource = self.resolve(request.resource) else {
            if case .stored(let type, let id) = request.resource {
                tracer.record(.resourceNotFound(type: self.policy.type(type).name, id: id.uuidString.lowercased()))
            }
            return .deny(.resourceNotFound)
        }
        return self.decide(request.subject, request.permission, resource, scopes: request.scopes, tracer: &tracer)
    }

    func decide<Tracer: DecisionTracer>(
        _ subject: UUID,
        _ permission: PermissionID,
        _ resource: ResolvedResource,
        scopes: PermissionSet?,
        tracer: inout Tracer
    ) -> Decision {
        // The organization index is borrowed, not retained: under load every check of an
        // organization would otherwise write to the same object header from every core.
        let decision = self.organizations.withValue(for: resource.organization) { index in
            self.decide(
                subject,
                permission,
                resource,
                scopes: scopes,
                organizationExists: true,
                role: index.members[subject],
                teamRole: { team in index.teamMembers[TeamMembership(team: team, principal: subject)] },
                tracer: &tracer
            )
        }
        return decision
            ?? self.decide(
                subject,
                permission,
                resource,
                scopes: scopes,
                organizationExists: false,
                role: nil,
                teamRole: { _ in nil },
                tracer: &tracer
            )
    }

    /// The decision itself, given what the indexes say about the subject. Single checks and
    /// batches both come here, so they cannot disagree. It reads only `self.tables` and the
    /// platform admins; trace steps, which need names, are built only when recorded.
    func decide<Tracer: DecisionTracer>(
        _ subject: UUID,
        _ permission: PermissionID,
        _ resource: ResolvedResource,
        scopes: PermissionSet?,
        organizationExists: Bool,
        role roleID: RoleID?,
        teamRole: (UUID) -> RoleID?,
        tracer: inout Tracer
    ) -> Decision {
        // Outside the resource's organization (and not a platform admin) the answer is the one
        // for a resource that does not exist: no step names its organization, team or creator,
        // so a denial tells an outsider neither where the resource lives nor that it exists.
        // Members skip the admin lookup: it stays off every ordinary allow.
        let isAdmin = roleID == nil && self.administers(subject, organizationExists: organizationExists)
        // Read before recording: a copy of the tracer would copy its steps on the next record.
        let resourceID = tracer.resourceID(resource)
        guard roleID != nil || isAdmin else {
            tracer.record(.resourceNotFound(type: self.policy.type(resource.type).name, id: resourceID))
            return .deny(.notMember)
        }
        tracer.record(
            .resolved(
                type: self.policy.type(resource.type).name,
                id: resourceID,
                organization: resource.organization,
                team: resource.team,
                creator: resource.creator
            )
        )
        guard self.tables.applies(permission, to: resource.type) else {
            tracer.record(.notApplicable(permission: self.policy.name(of: permission), type: self.policy.type(resource.type).name))
            return .deny(.notApplicable)
        }
        if let scopes {
            let contained = scopes.contains(permission)
            tracer.record(.scopes(permission: self.policy.name(of: permission), contained: contained))
            guard contained else { return .deny(.outsideScopes) }
        }
        tracer.record(
            .organizationMembership(organization: resource.organization, role: roleID.map { self.policy.organization.role($0).name })
        )
        let membership = roleID.map { self.decideForMember(subject, permission, resource, role: $0, teamRole: teamRole, tracer: &tracer) }
        if let membership, membership.allowed {
            return membership
        }
        // A member whose roles do not grant may still be a platform admin: asked last, because
        // it costs a lookup every ordinary allow would otherwise pay.
        let admin = isAdmin || self.administers(subject, organizationExists: organizationExists)
        tracer.record(.platformAdmin(admin))
        guard admin else { return membership ?? .deny(.notMember) }
        return .allow(
            Reason(
                source: .platformAdmin,
                role: self.tables.ownerRole,
                onType: self.tables.organizationType,
                onID: resource.organization,
                viaTeam: nil
            )
        )
    }

    /// Platform admins act as owner, but only of an organization that exists: of one that
    /// does not, nothing is known, not even to them.
    @inline(__always)
    private func administers(_ subject: UUID, organizationExists: Bool) -> Bool {
        organizationExists && !self.platformAdmins.isEmpty && self.platformAdmins.contains(subject)
    }

    /// A member's grants: its organization role, its role in the resource's team, the
    /// creator rule.
    private func decideForMember<Tracer: DecisionTracer>(
        _ subject: UUID,
        _ permission: PermissionID,
        _ resource: ResolvedResource,
        role roleID: RoleID,
        teamRole: (UUID) -> RoleID?,
        tracer: inout Tracer
    ) -> Decision {
        let grants = self.tables.organizationRole(roleID, grants: permission)
        tracer.record(.organizationRole(role: self.policy.organization.role(roleID).name, grants: grants))
        if grants {
            return .allow(
                Reason(source: .organizationRole, role: roleID, onType: self.tables.organizationType, onID: resource.organization, viaTeam: nil)
            )
        }
        if let team = resource.team {
            if let teamRoleID = teamRole(team) {
                let grants = self.tables.teamRole(teamRoleID, grants: permission)
                tracer.record(.teamRole(team: team, role: self.policy.team.role(teamRoleID).name, grants: grants))
                if grants {
                    return .allow(Reason(source: .teamRole, role: teamRoleID, onType: self.tables.teamType, onID: team, viaTeam: team))
                }
            } else {
                tracer.record(.teamRole(team: team, role: nil, grants: false))
            }
        }
        if let creator = resource.creator {
            let isCreator = creator == subject
            let grants = isCreator && self.tables.creatorMay(permission, on: resource.type)
            tracer.record(.creator(isCreator: isCreator, grants: grants))
            if grants {
                return .allow(Reason(source: .creator, role: nil, onType: resource.type, onID: resource.id, viaTeam: nil))
            }
        }
        return .deny(.noGrant)
    }
}
