public import Foundation

extension AuthzSnapshot {
    /// Every request against this one snapshot, so the answers are consistent with each
    /// other and share one revision.
    ///
    /// A single check is a chain of dependent cache misses (the resource's record, then the
    /// member table, then the team table) and the processor cannot start the next check's
    /// chain while it waits. The batch is therefore answered in short passes over all
    /// requests — resources (walked level by level across the batch), organization roles,
    /// team roles where still needed, then the decisions — so each pass has a batch's worth of
    /// independent misses in flight. The decisions come from the same function single
    /// checks use.
    public func check(batch requests: [CheckRequest]) -> [Decision] {
        let resolved = self.resolve(batch: requests)

        var roles = [RoleID?](repeating: nil, count: requests.count)
        var exists = [Bool](repeating: false, count: requests.count)
        for (index, request) in requests.enumerated() {
            guard let resource = resolved[index] else { continue }
            self.organizations.withValue(for: resource.organization) { organization in
                exists[index] = true
                roles[index] = organization.members[request.subject]
            }
        }

        // Team roles only where the organization role does not already grant.
        var teamRoles = [RoleID?](repeating: nil, count: requests.count)
        for (index, request) in requests.enumerated() {
            guard let resource = resolved[index], let team = resource.team, let role = roles[index],
                !self.tables.organizationRole(role, grants: request.permission)
            else { continue }
            self.organizations.withValue(for: resource.organization) { organization in
                teamRoles[index] = organization.teamMembers[TeamMembership(team: team, principal: request.subject)]
            }
        }

        var decisions: [Decision] = []
        decisions.reserveCapacity(requests.count)
        var tracer = UntracedDecision()
        for (index, request) in requests.enumerated() {
            guard let resource = resolved[index] else {
                decisions.append(.deny(.resourceNotFound))
                continue
            }
            decisions.append(
                self.decide(
                    request.subject, request.permission, resource, scopes: request.scopes,
                    organizationExists: exists[index], role: roles[index], teamRole: { _ in teamRoles[index] },
                    tracer: &tracer
                )
            )
        }
        return decisions
    }

    /// `resolve` for every request, with the stored resources and teams looked up together.
    func resolve(batch requests: [CheckRequest]) -> [ResolvedResource?] {
        var resolved = [ResolvedResource?](repeating: nil, count: requests.count)
        var resourceKeys: [ResourceKey] = []
        var resourceSlots: [Int] = []
        var teamKeys: [UUID] = []
        var teamSlots: [Int] = []
        for (index, request) in requests.enumerated() {
            switch request.resource {
            case .stored(let type, let id) where type == self.tables.teamType:
                teamKeys.append(id)
                teamSlots.append(index)
            case .stored(let type, let id) where type != self.tables.organizationType:
                resourceKeys.append(ResourceKey(type: type, id: id))
                resourceSlots.append(index)
            default:
                resolved[index] = self.resolve(request.resource)
            }
        }
        for (slot, resource) in zip(resourceSlots, self.resources.values(for: resourceKeys)) {
            resolved[slot] = resource
        }
        for (position, organization) in self.teamOrganizations.values(for: teamKeys).enumerated() {
            guard let organization else { continue }
            let team = teamKeys[position]
            resolved[teamSlots[position]] = ResolvedResource(
                type: self.tables.teamType, id: team, organization: organization, team: team, creator: nil
            )
        }
        return resolved
    }
}
