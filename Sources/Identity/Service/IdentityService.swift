public import Authz
public import Foundation

/// Principals, organizations and memberships, with the rules admins rely on. Every write runs
/// in one store transaction that reads what the rules need, checks them, writes the rows and
/// its change-log entries; the snapshot is then caught up before the call returns, so the
/// caller reads its own write.
///
/// Who may call what (the permission to manage members, say) is the evaluator's question,
/// asked by the route; these rules are the ones that hold whatever the caller's permissions:
/// no role granted above the granter's own, the last owner stays, no duplicates.
public struct IdentityService: Sendable {
    public let store: any IdentityStore
    public let follower: SnapshotFollower
    public let policy: Policy
    public let now: @Sendable () -> Date

    public init(store: any IdentityStore, follower: SnapshotFollower, policy: Policy, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.follower = follower
        self.policy = policy
        self.now = now
    }

    /// What a process does at start: bring the schema up to date, load the snapshot the store
    /// describes and follow its change log from there.
    public static func start(
        store: any IdentityStore,
        policy: Policy,
        now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> IdentityService {
        try await store.migrate()
        let follower = try await SnapshotFollower.start(store: store, policy: policy)
        return IdentityService(store: store, follower: follower, policy: policy, now: now)
    }

    public var snapshot: AuthzSnapshot { self.follower.live.snapshot }

    // MARK: Principals

    public func createPrincipal(
        kind: PrincipalKind,
        email: String?,
        name: String?,
        externalSubject: String?,
        platformAdmin: Bool = false,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Principal, revision: UInt64) {
        let now = self.now()
        let principal = Principal(
            id: UUID.timeOrdered(at: now),
            kind: kind,
            email: email,
            name: name,
            externalSubject: externalSubject,
            isPlatformAdmin: platformAdmin,
            createdAt: now
        )
        return try await self.perform(audit: audit ?? AuditContext(actorID: nil)) { transaction in
            do {
                try await transaction.insertPrincipal(principal)
            } catch IdentityError.conflict {
                throw IdentityError.conflict("a principal with this subject already exists")
            }
            return (principal, [.principalCreated(principal: principal.id, kind: kind, platformAdmin: platformAdmin)])
        }
    }

    public func principal(_ id: UUID) async throws(IdentityError) -> Principal? {
        try await self.reading { try await $0.principal(id) }
    }

    /// Several principals in one read (member lists show who each member is); ids with no
    /// principal are absent.
    public func principals(_ ids: [UUID]) async throws(IdentityError) -> [UUID: Principal] {
        try await self.reading { transaction in
            var found: [UUID: Principal] = [:]
            for id in Set(ids) {
                if let principal = try await transaction.principal(id) { found[id] = principal }
            }
            return found
        }
    }

    public func principal(externalSubject: String) async throws(IdentityError) -> Principal? {
        try await self.reading { try await $0.principal(externalSubject: externalSubject) }
    }

    // MARK: Organizations

    /// The creator becomes its owner. Without a slug, one is derived from the name.
    public func createOrganization(
        name: String,
        slug: String?,
        creator: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Organization, revision: UInt64) {
        let name = try Organization.validateName(name)
        let requested = slug
        let slug: Slug
        if let requested {
            slug = try Slug(validating: requested)
        } else if let derived = Slug.derived(from: name) {
            slug = derived
        } else {
            // Too few Latin letters or digits to spell one ("0", "日本"): `org-` and what there
            // is, made unique; a slug is only ever derived, never required.
            let letters = Slug.letters(of: name)
            let suffix = UUID().uuidString.lowercased().prefix(8)
            slug = try Slug(validating: "org-" + (letters.isEmpty ? "" : letters + "-") + suffix)
        }
        let now = self.now()
        let organization = Organization(id: UUID.timeOrdered(at: now), name: name, slug: slug, createdAt: now)
        let owner = self.policy.organizationOwner.name
        return try await self.perform(audit: audit ?? AuditContext(actorID: creator)) { transaction in
            guard try await transaction.principal(creator) != nil else { throw IdentityError.notFound("principal") }
            do {
                try await transaction.insertOrganization(organization)
            } catch IdentityError.conflict {
                throw IdentityError.conflict("the slug '\(slug)' is taken")
            }
            try await transaction.insertMembership(Membership(organizationID: organization.id, principalID: creator, role: owner, createdAt: now))
            return (organization, [.organizationCreated(organization: organization.id, owner: creator, ownerRole: owner)])
        }
    }

    public func organization(_ id: UUID) async throws(IdentityError) -> Organization? {
        try await self.reading { try await $0.organization(id) }
    }

    // MARK: Members

    public func addMember(
        organization: UUID,
        principal: UUID,
        role: String,
        actor: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Membership, revision: UInt64) {
        let policy = self.policy
        let now = self.now()
        return try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            try await transaction.lockOrganization(organization)
            guard try await transaction.organization(organization) != nil else { throw IdentityError.notFound("organization") }
            guard try await transaction.principal(principal) != nil else { throw IdentityError.notFound("principal") }
            let authority = try await Self.authority(of: actor, in: organization, transaction)
            try RoleGrantRule.check(granterRole: authority.role, isPlatformAdmin: authority.isPlatformAdmin, grants: role, policy: policy)
            let membership = Membership(organizationID: organization, principalID: principal, role: role, createdAt: now)
            do {
                try await transaction.insertMembership(membership)
            } catch IdentityError.conflict {
                throw IdentityError.conflict("the principal is already a member")
            }
            return (membership, [.memberAdded(organization: organization, principal: principal, role: role)])
        }
    }

    /// The actor must hold a role that includes both the member's current role and the new
    /// one: an admin can neither promote to owner nor demote an owner.
    public func changeRole(
        organization: UUID,
        principal: UUID,
        role: String,
        actor: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> (Membership, revision: UInt64) {
        let policy = self.policy
        return try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            try await transaction.lockOrganization(organization)
            guard let member = try await transaction.membership(organization: organization, principal: principal) else {
                throw IdentityError.notFound("member")
            }
            let authority = try await Self.authority(of: actor, in: organization, transaction)
            try RoleGrantRule.check(granterRole: authority.role, isPlatformAdmin: authority.isPlatformAdmin, grants: role, policy: policy)
            try RoleGrantRule.check(granterRole: authority.role, isPlatformAdmin: authority.isPlatformAdmin, grants: member.role, policy: policy)
            guard member.role != role else { return (member, []) }
            let owners = try await transaction.countMembers(organization: organization, role: policy.organizationOwner.name)
            try OwnershipRule.check(currentRole: member.role, newRole: role, ownerCount: owners, policy: policy)
            try await transaction.updateMembershipRole(organization: organization, principal: principal, role: role)
            let changed = Membership(organizationID: organization, principalID: principal, role: role, createdAt: member.createdAt)
            return (changed, [.memberRoleChanged(organization: organization, principal: principal, role: role, previous: member.role)])
        }
    }

    /// Members may always leave; removing someone else needs a role that includes theirs.
    /// Their team memberships in the organization end with it.
    public func removeMember(organization: UUID, principal: UUID, actor: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> UInt64 {
        let policy = self.policy
        return try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            try await transaction.lockOrganization(organization)
            guard let member = try await transaction.membership(organization: organization, principal: principal) else {
                throw IdentityError.notFound("member")
            }
            if actor != principal {
                let authority = try await Self.authority(of: actor, in: organization, transaction)
                try RoleGrantRule.check(granterRole: authority.role, isPlatformAdmin: authority.isPlatformAdmin, grants: member.role, policy: policy)
            }
            let owners = try await transaction.countMembers(organization: organization, role: policy.organizationOwner.name)
            try OwnershipRule.check(currentRole: member.role, newRole: nil, ownerCount: owners, policy: policy)
            try await transaction.deleteMembership(organization: organization, principal: principal)
            return ((), [.memberRemoved(organization: organization, principal: principal, role: member.role)])
        }.revision
    }

    /// The new owner must already be a member; the previous owner stays on as the role just
    /// below owner. A platform admin who is not a member only promotes.
    public func transferOwnership(
        organization: UUID,
        to principal: UUID,
        actor: UUID,
        audit: AuditContext? = nil
    ) async throws(IdentityError) -> UInt64 {
        let policy = self.policy
        let owner = policy.organizationOwner
        let below = owner.directlyIncludes.first.map { policy.organization.role($0).name } ?? owner.name
        return try await self.perform(audit: audit ?? AuditContext(actorID: actor)) { transaction in
            try await transaction.lockOrganization(organization)
            guard let target = try await transaction.membership(organization: organization, principal: principal) else {
                throw IdentityError.notFound("member")
            }
            let authority = try await Self.authority(of: actor, in: organization, transaction)
            guard authority.role == owner.name || authority.isPlatformAdmin else {
                throw IdentityError.forbidden("only an owner can transfer ownership")
            }
            guard target.role != owner.name else { throw IdentityError.conflict("the principal is already an owner") }
            try await transaction.updateMembershipRole(organization: organization, principal: principal, role: owner.name)
            guard authority.role == owner.name, actor != principal else {
                return ((), [.memberRoleChanged(organization: organization, principal: principal, role: owner.name, previous: target.role)])
            }
            try await transaction.updateMembershipRole(organization: organization, principal: actor, role: below)
            return (
                (), [.ownershipTransferred(organization: organization, from: actor, to: principal, ownerRole: owner.name, previousOwnerRole: below)]
            )
        }.revision
    }

    public func members(organization: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [Membership] {
        try await self.reading { try await $0.memberships(organization: organization, after: after, limit: limit) }
    }

    public func memberships(of principal: UUID) async throws(IdentityError) -> [Membership] {
        try await self.reading { try await $0.memberships(principal: principal) }
    }

    // MARK: Plumbing

    /// What the actor may grant in the organization: its role there, and whether it is a
    /// platform admin (who acts as owner everywhere).
    static func authority(
        of actor: UUID,
        in organization: UUID,
        _ transaction: any IdentityTransaction
    ) async throws -> (role: String?, isPlatformAdmin: Bool) {
        guard let principal = try await transaction.principal(actor) else { throw IdentityError.notFound("principal") }
        let membership = try await transaction.membership(organization: organization, principal: actor)
        return (membership?.role, principal.isPlatformAdmin)
    }

    /// One write, then the snapshot caught up to (at least) its revision. With `audit`, each
    /// change-log entry the write commits is also appended to the audit log, in the same
    /// transaction.
    public func perform<Result: Sendable>(
        audit: AuditContext? = nil,
        _ body: @escaping @Sendable (any IdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws(IdentityError) -> (Result, revision: UInt64) {
        let now = self.now()
        do {
            let (result, revision) = try await self.store.write { transaction in
                let (result, entries) = try await body(transaction)
                if let audit {
                    for entry in entries {
                        if let event = entry.auditEvent(audit, at: now) { try await Self.appendAudit(event, transaction) }
                    }
                }
                return (result, entries)
            }
            try await self.follower.catchUp()
            return (result, revision)
        } catch let error as IdentityError {
            throw error
        } catch {
            throw .unavailable(String(describing: error))
        }
    }

    public func reading<Result: Sendable>(
        _ body: @escaping @Sendable (any IdentityTransaction) async throws -> Result
    ) async throws(IdentityError) -> Result {
        do {
            return try await self.store.read(body)
        } catch let error as IdentityError {
            throw error
        } catch {
            throw .unavailable(String(describing: error))
        }
    }
}
