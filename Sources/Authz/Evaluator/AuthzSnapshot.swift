public import Foundation

/// The immutable state every check reads: the policy plus per-organization membership,
/// team and resource indexes, tagged with the store revision it reflects.
///
/// It is a value. A new one is made by applying changes to the last; readers holding the old
/// one are never disturbed, so the check path takes no lock.
public struct AuthzSnapshot: Sendable {
    public let policy: Policy
    /// The policy's tables, held here so the check path reads them through the snapshot it
    /// already borrows instead of through the policy object.
    let tables: EvaluationTables
    public internal(set) var revision: UInt64
    var organizations: PersistentMap<UUID, OrganizationIndex>
    /// Team → organization, to place a team (and a check on it) in its tenant.
    var teamOrganizations: PersistentMap<UUID, UUID>
    /// Every stored resource other than organizations and teams.
    var resources: PersistentMap<ResourceKey, ResolvedResource>
    var platformAdmins: Set<UUID>

    public init(policy: Policy, revision: UInt64 = 0) {
        self.policy = policy
        self.tables = policy.tables
        self.revision = revision
        self.organizations = PersistentMap()
        self.teamOrganizations = PersistentMap()
        self.resources = PersistentMap()
        self.platformAdmins = []
    }

    public var organizationCount: Int { self.organizations.count }
    public var resourceCount: Int { self.resources.count }

    public func isPlatformAdmin(_ principal: UUID) -> Bool {
        self.platformAdmins.contains(principal)
    }

    public func containsOrganization(_ organization: UUID) -> Bool {
        self.organizations.contains(organization)
    }

    /// The organization role a principal holds, if it is a member.
    public func role(of principal: UUID, in organization: UUID) -> Role? {
        guard let index = self.organizations[organization], let role = index.members[principal] else {
            return nil
        }
        return self.policy.organization.role(role)
    }

    /// The team role a principal holds, if it is a member of the team.
    public func teamRole(of principal: UUID, in team: UUID) -> Role? {
        guard let organization = self.teamOrganizations[team],
            let role = self.organizations[organization]?.teamMembers[TeamMembership(team: team, principal: principal)]
        else {
            return nil
        }
        return self.policy.team.role(role)
    }
}
