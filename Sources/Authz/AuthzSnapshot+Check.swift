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
        var tracer = RecordedDecision()
        let decision = self.evaluate(request, tracer: &tracer)
        return (decision, tracer.steps)
    }

    /// Every request against this one snapshot, so the answers are consistent with each
    /// other and share one revision.
    public func check(batch requests: [CheckRequest]) -> [Decision] {
        var decisions: [Decision] = []
        decisions.reserveCapacity(requests.count)
        for request in requests {
            decisions.append(self.check(request))
        }
        return decisions
    }

    /// A check on a resource already resolved (by `resolve`, or by a lookup).
    public func check(_ subject: UUID, _ permission: PermissionID, on resource: ResolvedResource, scopes: PermissionSet? = nil) -> Decision {
        var tracer = UntracedDecision()
        return self.decide(subject, permission, resource, scopes: scopes, tracer: &tracer)
    }

    func evaluate<Tracer: DecisionTracer>(_ request: CheckRequest, tracer: inout Tracer) -> Decision {
        guard let resource = self.resolve(request.resource) else {
            if case .stored(let type, let id) = request.resource {
                tracer.record(.resourceNotFound(type: self.policy.type(type).name, id: id))
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
        let type = self.policy.type(resource.type)
        tracer.record(
            .resolved(type: type.name, id: resource.id, organization: resource.organization, team: resource.team, creator: resource.creator)
        )
        guard type.permissions.contains(permission) else {
            tracer.record(.notApplicable(permission: self.policy.name(of: permission), type: type.name))
            return .deny(.notApplicable)
        }
        if let scopes {
            let contained = scopes.contains(permission)
            tracer.record(.scopes(permission: self.policy.name(of: permission), contained: contained))
            guard contained else { return .deny(.outsideScopes) }
        }
        let index = self.organizations[resource.organization]
        let roleID = index?.members[subject]
        let organizationType = self.policy.organization
        tracer.record(.organizationMembership(organization: resource.organization, role: roleID.map { organizationType.role($0).name }))
        if let index, let roleID {
            let role = organizationType.role(roleID)
            let grants = role.permissions.contains(permission)
            tracer.record(.organizationRole(role: role.name, grants: grants))
            if grants {
                return .allow(
                    Reason(source: .organizationRole, role: role.name, onType: organizationType.name, onID: resource.organization, viaTeam: nil)
                )
            }
            if let team = resource.team, let teamIndex = index.teams[team] {
                let teamType = self.policy.team
                if let teamRoleID = teamIndex.members[subject] {
                    let teamRole = teamType.role(teamRoleID)
                    let grants = teamRole.permissions.contains(permission)
                    tracer.record(.teamRole(team: team, role: teamRole.name, grants: grants))
                    if grants {
                        return .allow(Reason(source: .teamRole, role: teamRole.name, onType: teamType.name, onID: team, viaTeam: team))
                    }
                } else {
                    tracer.record(.teamRole(team: team, role: nil, grants: false))
                }
            }
            if let creator = resource.creator {
                let isCreator = creator == subject
                let grants = isCreator && type.creatorPermissions.contains(permission)
                tracer.record(.creator(isCreator: isCreator, grants: grants))
                if grants {
                    return .allow(Reason(source: .creator, role: "creator", onType: type.name, onID: resource.id, viaTeam: nil))
                }
            }
        }
        // Last, because it costs a lookup every ordinary allow would otherwise pay.
        let isAdmin = index != nil && self.platformAdmins.contains(subject)
        if !self.platformAdmins.isEmpty { tracer.record(.platformAdmin(isAdmin)) }
        if isAdmin {
            return .allow(
                Reason(
                    source: .platformAdmin, role: self.policy.organizationOwner.name, onType: organizationType.name,
                    onID: resource.organization, viaTeam: nil
                )
            )
        }
        return .deny(roleID == nil ? .notMember : .noGrant)
    }
}
