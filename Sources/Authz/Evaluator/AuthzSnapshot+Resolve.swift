import Foundation

extension AuthzSnapshot {
    /// Places a resource in its organization, or nil when no such resource exists. A
    /// caller-described resource is taken at its word for organization and owner, but its
    /// team counts only if that team belongs to the same organization.
    public func resolve(_ reference: ResourceReference) -> ResolvedResource? {
        switch reference {
        case .stored(let type, let id):
            if type == self.tables.organizationType {
                guard self.organizations.contains(id) else { return nil }
                return ResolvedResource(type: type, id: id, organization: id, team: nil, creator: nil)
            }
            if type == self.tables.teamType {
                guard let organization = self.teamOrganizations[id] else { return nil }
                return ResolvedResource(type: type, id: id, organization: organization, team: id, creator: nil)
            }
            return self.resources[ResourceKey(type: type, id: id)]
        case .external(let type, _, let organization, let team, let owner):
            let placedTeam = team.flatMap { self.teamOrganizations[$0] == organization ? $0 : nil }
            return ResolvedResource(
                type: type,
                id: ResolvedResource.externalID,
                organization: organization,
                team: self.tables.teamOwned[Int(type.rawValue)] ? placedTeam : nil,
                creator: owner
            )
        }
    }
}
