public import Foundation

extension AuthzSnapshot {
    /// The resources of `type` in `organization` on which `subject` holds `permission`, in
    /// ascending id order (ids are time-ordered, so oldest first), starting after `after`.
    public func lookupResources(
        subject: UUID,
        permission: PermissionID,
        type: ResourceTypeID,
        organization: UUID,
        scopes: PermissionSet? = nil,
        after: UUID? = nil,
        limit: Int
    ) -> LookupPage {
        guard let index = self.organizations[organization] else { return LookupPage(ids: [], next: nil) }
        var candidates: [ResolvedResource] = []
        if type == self.policy.organizationType {
            candidates = [ResolvedResource(type: type, id: organization, organization: organization, team: nil, creator: nil)]
        } else if type == self.policy.teamType {
            index.teams.forEach { team, _ in
                candidates.append(ResolvedResource(type: type, id: team, organization: organization, team: team, creator: nil))
            }
        } else {
            index.resources[type]?.forEach { id, _ in
                if let resource = self.resources[ResourceKey(type: type, id: id)] { candidates.append(resource) }
            }
        }
        let allowed = candidates.lazy
            .filter { after == nil || $0.id > after! }
            .filter { self.check(subject, permission, on: $0, scopes: scopes).allowed }
            .map(\.id)
        return Self.page(Array(allowed), limit: limit)
    }

    /// The principals holding `permission` on `resource` through a role in its organization,
    /// a role in its team or the creator rule, in ascending id order. Platform admins, whose
    /// access is global rather than granted by the organization, are not listed.
    public func lookupSubjects(
        permission: PermissionID,
        on resource: ResolvedResource,
        after: UUID? = nil,
        limit: Int
    ) -> LookupPage {
        guard let index = self.organizations[resource.organization],
            self.policy.type(resource.type).permissions.contains(permission)
        else { return LookupPage(ids: [], next: nil) }
        var subjects = Set<UUID>()
        let organizationType = self.policy.organization
        index.members.forEach { principal, role in
            if organizationType.role(role).permissions.contains(permission) { subjects.insert(principal) }
        }
        if let team = resource.team {
            let teamType = self.policy.team
            index.teamMembers.forEach { membership, role in
                if membership.team == team, teamType.role(role).permissions.contains(permission), index.members[membership.principal] != nil {
                    subjects.insert(membership.principal)
                }
            }
        }
        if let creator = resource.creator, index.members[creator] != nil,
            self.policy.type(resource.type).creatorPermissions.contains(permission)
        {
            subjects.insert(creator)
        }
        return Self.page(subjects.filter { after == nil || $0 > after! }, limit: limit)
    }

    static func page(_ ids: [UUID], limit: Int) -> LookupPage {
        let limit = max(limit, 1)
        let sorted = ids.sorted()
        guard sorted.count > limit else { return LookupPage(ids: sorted, next: nil) }
        let page = Array(sorted.prefix(limit))
        return LookupPage(ids: page, next: page.last)
    }
}
