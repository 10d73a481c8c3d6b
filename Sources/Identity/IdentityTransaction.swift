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
}
