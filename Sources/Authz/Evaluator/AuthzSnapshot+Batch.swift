internal import Foundation

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
        let count = requests.count
        // Read through buffers: iterating the arrays themselves copies each request out,
        // retaining and releasing its scopes on every pass.
        return requests.withUnsafeBufferPointer { requests in
            resolved.withUnsafeBufferPointer { resolved in
                var slots = [BatchSlot](repeating: BatchSlot(), count: count)
                // The organization indexes, borrowed (+0): the snapshot owns them for the whole
                // call, and retaining each would write to its header from every core.
                let organizations = self.organizations
                for index in 0..<count {
                    guard let organization = resolved[index]?.organization else { continue }
                    slots[index].organization = organizations.withValue(for: organization) { Unmanaged.passUnretained($0) }
                }

                for index in 0..<count {
                    guard let organization = slots[index].organization else { continue }
                    let subject = requests[index].subject
                    slots[index].memberProbe = organization._withUnsafeGuaranteedRef { $0.members.probe(subject) }
                }
                for index in 0..<count {
                    guard let organization = slots[index].organization, let probe = slots[index].memberProbe else { continue }
                    let subject = requests[index].subject
                    slots[index].role = organization._withUnsafeGuaranteedRef { $0.members.value(for: subject, probe: probe) }
                }

                // Team roles only where the organization role does not already grant.
                for index in 0..<count {
                    guard let organization = slots[index].organization, let team = resolved[index]?.team, let role = slots[index].role,
                        !self.tables.organizationRole(role, grants: requests[index].permission)
                    else { continue }
                    let membership = TeamMembership(team: team, principal: requests[index].subject)
                    slots[index].teamProbe = organization._withUnsafeGuaranteedRef { $0.teamMembers.probe(membership) }
                }
                for index in 0..<count {
                    guard let organization = slots[index].organization, let probe = slots[index].teamProbe,
                        let team = resolved[index]?.team
                    else { continue }
                    let membership = TeamMembership(team: team, principal: requests[index].subject)
                    slots[index].teamRole = organization._withUnsafeGuaranteedRef { $0.teamMembers.value(for: membership, probe: probe) }
                }

                var decisions: [Decision] = []
                decisions.reserveCapacity(count)
                var tracer = UntracedDecision()
                for index in 0..<count {
                    guard let resource = resolved[index] else {
                        decisions.append(.deny(.resourceNotFound))
                        continue
                    }
                    let slot = slots[index]
                    decisions.append(
                        self.decide(
                            requests[index].subject,
                            requests[index].permission,
                            resource,
                            scopes: requests[index].scopes,
                            organizationExists: slot.organization != nil,
                            role: slot.role,
                            teamRole: { _ in slot.teamRole },
                            tracer: &tracer
                        )
                    )
                }
                return decisions
            }
        }
    }

    /// What the passes of a batch learn about one request, kept together so a batch makes
    /// one allocation for all of it.
    private struct BatchSlot {
        var organization: Unmanaged<OrganizationIndex>?
        var memberProbe: PersistentMap<UUID, RoleID>.Probe?
        var role: RoleID?
        var teamProbe: PersistentMap<TeamMembership, RoleID>.Probe?
        var teamRole: RoleID?
    }

    /// `resolve` for every request, with the stored resources and teams looked up together.
    func resolve(batch requests: [CheckRequest]) -> [ResolvedResource?] {
        var resolved = [ResolvedResource?](repeating: nil, count: requests.count)
        var resourceKeys: [ResourceKey] = []
        var resourceSlots: [Int] = []
        var teamKeys: [UUID] = []
        var teamSlots: [Int] = []
        // Sized for the whole batch once: grown by appending, the four would reallocate
        // about ten times each.
        resourceKeys.reserveCapacity(requests.count)
        resourceSlots.reserveCapacity(requests.count)
        teamKeys.reserveCapacity(requests.count)
        teamSlots.reserveCapacity(requests.count)
        requests.withUnsafeBufferPointer { requests in
            for index in requests.indices {
                switch requests[index].resource {
                case .stored(let type, let id) where type == self.tables.teamType:
                    teamKeys.append(id)
                    teamSlots.append(index)
                case .stored(let type, let id) where type != self.tables.organizationType:
                    resourceKeys.append(ResourceKey(type: type, id: id))
                    resourceSlots.append(index)
                default:
                    resolved[index] = self.resolve(requests[index].resource)
                }
            }
        }
        for (position, resource) in self.resources.values(for: resourceKeys).enumerated() {
            resolved[resourceSlots[position]] = resource
        }
        for (position, organization) in self.teamOrganizations.values(for: teamKeys).enumerated() {
            guard let organization else { continue }
            let team = teamKeys[position]
            resolved[teamSlots[position]] = ResolvedResource(
                type: self.tables.teamType,
                id: team,
                organization: organization,
                team: team,
                creator: nil
            )
        }
        return resolved
    }
}
