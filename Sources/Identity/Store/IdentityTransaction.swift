public import Foundation

/// The reads and writes one transaction of the identity store offers. They are primitives on
/// purpose: the rules (who may grant what, the last owner, duplicates) are written once, in
/// `IdentityService`, on top of them, and every store implementation inherits them.
///
/// Constraint violations surface as `IdentityError.conflict`; anything else as the store's
/// own error, which the service reports as `unavailable`.
public protocol IdentityTransaction: Sendable {
    func insertPrincipal(_ principal: Principal) async throws
    func principal(_ id: UUID) async throws -> Principal?
    func principal(externalSubject: String) async throws -> Principal?

    func insertOrganization(_ organization: Organization) async throws
    func organization(_ id: UUID) async throws -> Organization?

    /// Serializes membership changes of one organization until the transaction ends, so rules
    /// that read several rows (the last owner) see what no concurrent writer can change.
    func lockOrganization(_ id: UUID) async throws

    func membership(organization: UUID, principal: UUID) async throws -> Membership?
    func insertMembership(_ membership: Membership) async throws
    func updateMembershipRole(organization: UUID, principal: UUID, role: String) async throws
    /// Also ends the principal's team memberships in that organization.
    func deleteMembership(organization: UUID, principal: UUID) async throws
    func countMembers(organization: UUID, role: String) async throws -> Int
    /// In ascending principal id order, after `after`.
    func memberships(organization: UUID, after: UUID?, limit: Int) async throws -> [Membership]
    func memberships(principal: UUID) async throws -> [Membership]

    func insertTeam(_ team: Team) async throws
    func renameTeam(_ id: UUID, name: String) async throws
    func renameOrganization(_ id: UUID, name: String) async throws
    func organizationDependents(_ id: UUID) async throws -> OrganizationDependents
    /// Removes the organization and everything it holds (members, teams, invitations, its
    /// keys, jobs, workflows, assets, shares, usage, their events). Its audit log stays.
    func deleteOrganization(_ id: UUID) async throws
    func team(_ id: UUID) async throws -> Team?
    /// In ascending id order, after `after`.
    func teams(organization: UUID, after: UUID?, limit: Int) async throws -> [Team]
    /// Also ends the team's memberships.
    func deleteTeam(_ id: UUID) async throws

    func teamMember(team: UUID, principal: UUID) async throws -> TeamMember?
    /// Inserts, or changes the role of an existing team member.
    func upsertTeamMember(_ member: TeamMember) async throws
    func deleteTeamMember(team: UUID, principal: UUID) async throws
    /// In ascending principal id order, after `after`.
    func teamMembers(team: UUID, after: UUID?, limit: Int) async throws -> [TeamMember]
    func teamMemberships(principal: UUID) async throws -> [TeamMember]

    func insertInvitation(_ invitation: Invitation) async throws
    func invitation(_ id: UUID) async throws -> Invitation?
    /// The invitation to this address that could still be accepted at `now`, if any.
    func pendingInvitation(organization: UUID, email: String, at now: Date) async throws -> Invitation?
    /// In ascending id order (ids are time-ordered), after `after`.
    func invitations(organization: UUID, after: UUID?, limit: Int) async throws -> [Invitation]
    func markInvitationAccepted(_ id: UUID, by principal: UUID, at: Date) async throws
    func markInvitationRevoked(_ id: UUID, at: Date) async throws

    func insertAPIKey(_ key: APIKeyRecord) async throws
    func apiKey(_ id: UUID) async throws -> APIKeyRecord?
    func deleteAPIKey(_ id: UUID) async throws
    /// Stores the key's status, expiry and successor; nothing else of a key ever changes.
    func updateAPIKey(_ key: APIKeyRecord) async throws
    func touchAPIKey(_ id: UUID, at: Date) async throws
    /// Personal keys of the principal (no organization), in ascending id order after `after`.
    func personalAPIKeys(principal: UUID, after: UUID?, limit: Int) async throws -> [APIKeyRecord]
    /// The organization's keys, in ascending id order after `after`.
    func organizationAPIKeys(organization: UUID, after: UUID?, limit: Int) async throws -> [APIKeyRecord]
    /// The principal's keys that are not revoked (active, disabled or expired alike).
    func unrevokedAPIKeyCount(principal: UUID) async throws -> Int

    /// Appends the event with its hash and moves its chain's head, in this transaction.
    func insertAuditRecord(_ event: AuditEvent, hash: [UInt8], head: AuditChainHead) async throws
    func auditChainHead(_ chain: String) async throws -> AuditChainHead?
    func auditChainHeads() async throws -> [AuditChainHead]
    /// Oldest first, those `filter` keeps (every organization's when its organization is nil),
    /// after `after` (a sequence).
    func auditRecords(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord]

    func idempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws -> IdempotencyRecord?
    /// Conflict when a record for the same principal and key exists.
    func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws
    func completeIdempotencyRecord(principal: UUID, keyDigest: [UInt8], sealedResponse: [UInt8]) async throws
    func deleteIdempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws
    func deleteIdempotencyRecords(before: Date) async throws
    /// Whether any platform admin exists: an empty store is bootstrapped, a used one is not.
    func hasPlatformAdmin() async throws -> Bool
}
