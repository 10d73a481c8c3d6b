public import APIKeys
internal import Authz
public import Foundation
internal import NIOPosix

extension IdentityService {
    /// The longest overlap a rotation grants the old secret: a week.
    public static var maximumGracePeriod: Int { 604_800 }

    /// A personal key (no organization) acts as its user, narrowed by `scopes`. An
    /// organization key gets a service principal of its own, holding `role` (member by
    /// default) in the organization; nobody grants a role above their own.
    public func createAPIKey(
        name: String,
        organization: UUID?,
        role: String?,
        scopes: [String]?,
        expiresAt: Date?,
        actor: UUID,
        audit: AuditContext? = nil,
        hasher: PasswordHasher = .owasp
    ) async throws(IdentityError) -> (IssuedAPIKey, revision: UInt64) {
        let now = self.now()
        let name = try Self.validateKeyName(name)
        try self.validate(scopes: scopes)
        if let expiresAt, expiresAt <= now { throw .invalid(field: "expires_at", message: "must be in the future") }
        if organization == nil, role != nil {
            throw .invalid(field: "role", message: "only organization keys have a role: give organization_id too")
        }
        let role = organization == nil ? nil : role ?? "member"
        if let role, let scopes { try self.validate(scopes: scopes, within: role) }
        let key = APIKey.generate(id: UUID.timeOrdered(at: now))
        let hash = try await Self.hash(key.secret, with: hasher)
        let policy = self.policy
        return try await self.perform { transaction in
            guard let creator = try await transaction.principal(actor) else { throw IdentityError.notFound("principal") }
            var entries: [ChangeLogEntry] = []
            let principal: UUID
            if let organization, let role {
                try await transaction.lockOrganization(organization)
                guard try await transaction.organization(organization) != nil else { throw IdentityError.notFound("organization") }
                let authority = try await Self.authority(of: actor, in: organization, transaction)
                try RoleGrantRule.check(granterRole: authority.role, isPlatformAdmin: authority.isPlatformAdmin, grants: role, policy: policy)
                let service = Principal(
                    id: UUID.timeOrdered(at: now),
                    kind: .service,
                    email: nil,
                    name: name,
                    externalSubject: nil,
                    isPlatformAdmin: false,
                    createdAt: now
                )
                try await transaction.insertPrincipal(service)
                try await transaction.insertMembership(Membership(organizationID: organization, principalID: service.id, role: role, createdAt: now))
                entries += [
                    .principalCreated(principal: service.id, kind: .service, platformAdmin: false),
                    .memberAdded(organization: organization, principal: service.id, role: role),
                    .resourceCreated(organization: organization, type: APIKeyRecord.resourceType, id: key.id, team: nil, creator: actor),
                ]
                principal = service.id
            } else {
                // A service principal's personal key would outlive the key it was made with.
                guard creator.kind == .user else { throw IdentityError.forbidden("only users hold personal keys") }
                principal = actor
            }
            let record = APIKeyRecord(
                id: key.id,
                principalID: principal,
                organizationID: organization,
                name: name,
                secretHash: hash,
                role: role,
                scopes: scopes,
                status: .active,
                createdAt: now,
                expiresAt: expiresAt,
                lastUsedAt: nil,
                createdBy: actor
            )
            try await transaction.insertAPIKey(record)
            try await Self.appendAudit(
                Self.audit("api_key.created", record, audit ?? AuditContext(actorID: actor), at: now, data: ["role": role ?? ""]),
                transaction
            )
            return (IssuedAPIKey(record: record, key: key.rendered), entries)
        }
    }

    public func personalAPIKeys(of principal: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [APIKeyRecord] {
        try await self.reading { try await $0.personalAPIKeys(principal: principal, after: after, limit: limit) }
    }

    public func organizationAPIKeys(_ organization: UUID, after: UUID?, limit: Int) async throws(IdentityError) -> [APIKeyRecord] {
        try await self.reading { try await $0.organizationAPIKeys(organization: organization, after: after, limit: limit) }
    }

    /// Final: the key never authenticates again, on any replica. Revoking twice changes nothing.
    /// An organization key's service principal exists only for its keys, so the revocation of
    /// the last one also takes it out of the organization (`retireServicePrincipal`).
    public func revokeAPIKey(_ id: UUID, actor: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> (APIKeyRecord, revision: UInt64) {
        let policy = self.policy
        return try await self.transition(
            id,
            audit: audit ?? AuditContext(actorID: actor),
            action: "api_key.revoked",
            change: { key throws(IdentityError) in key.status == .revoked ? nil : key.with(status: .revoked) },
            then: { key, transaction in try await Self.retireServicePrincipal(of: key, policy: policy, transaction) }
        )
    }

    public func disableAPIKey(_ id: UUID, actor: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> (APIKeyRecord, revision: UInt64) {
        try await self.transition(id, audit: audit ?? AuditContext(actorID: actor), action: "api_key.disabled") { key throws(IdentityError) in
            switch key.status {
            case .revoked: throw .conflict("the key is revoked")
            case .disabled: nil
            case .active: key.with(status: .disabled)
            }
        }
    }

    public func enableAPIKey(_ id: UUID, actor: UUID, audit: AuditContext? = nil) async throws(IdentityError) -> (APIKeyRecord, revision: UInt64) {
        try await self.transition(id, audit: audit ?? AuditContext(actorID: actor), action: "api_key.enabled") { key throws(IdentityError) in
            switch key.status {
            case .revoked: throw .conflict("a revoked key cannot be enabled again")
            case .active: nil
            case .disabled: key.with(status: .active)
            }
        }
    }

    /// A new key with the old one's name, scopes, role, organization and expiry; the old
    /// secret keeps working for `gracePeriod` seconds (0: not at all) and then fails. Each
    /// key is rotated once: a second rotation goes to its replacement.
    public func rotateAPIKey(
        _ id: UUID,
        gracePeriod: Int,
        actor: UUID,
        audit: AuditContext? = nil,
        hasher: PasswordHasher = .owasp
    ) async throws(IdentityError) -> (IssuedAPIKey, revision: UInt64) {
        guard (0...Self.maximumGracePeriod).contains(gracePeriod) else {
            throw .invalid(field: "grace_period_seconds", message: "must be between 0 and \(Self.maximumGracePeriod)")
        }
        let now = self.now()
        let key = APIKey.generate(id: UUID.timeOrdered(at: now))
        let hash = try await Self.hash(key.secret, with: hasher)
        return try await self.perform { transaction in
            guard let old = try await transaction.apiKey(id) else { throw IdentityError.notFound("API key") }
            guard old.replacedBy == nil else { throw IdentityError.conflict("the key was already rotated; rotate its replacement") }
            guard old.isUsable(at: now) else { throw IdentityError.conflict("only an active, unexpired key can be rotated") }
            let graceEnd = now.addingTimeInterval(TimeInterval(gracePeriod))
            let retired =
                gracePeriod == 0
                ? old.with(status: .revoked, replacedBy: key.id)
                : old.with(expiresAt: min(old.expiresAt ?? graceEnd, graceEnd), replacedBy: key.id)
            let new = APIKeyRecord(
                id: key.id,
                principalID: old.principalID,
                organizationID: old.organizationID,
                name: old.name,
                secretHash: hash,
                role: old.role,
                scopes: old.scopes,
                status: .active,
                createdAt: now,
                expiresAt: old.expiresAt,
                lastUsedAt: nil,
                createdBy: old.createdBy,
                replaces: old.id
            )
            try await transaction.updateAPIKey(retired)
            try await transaction.insertAPIKey(new)
            try await Self.appendAudit(
                Self.audit(
                    "api_key.rotated",
                    old,
                    audit ?? AuditContext(actorID: actor),
                    at: now,
                    data: ["replaced_by": key.id.uuidString.lowercased(), "grace_period_seconds": String(gracePeriod)]
                ),
                transaction
            )
            var entries: [ChangeLogEntry] = [.apiKeyChanged(organization: old.organizationID, key: old.id)]
            if let organization = old.organizationID {
                entries.append(
                    .resourceCreated(organization: organization, type: APIKeyRecord.resourceType, id: key.id, team: nil, creator: old.createdBy)
                )
            }
            return (IssuedAPIKey(record: new, key: key.rendered), entries)
        }
    }

    /// `last_used_at`; the caller decides how often (at most once a minute per key).
    public func recordUse(ofKey id: UUID, at date: Date) async throws(IdentityError) {
        _ = try await self.perform { transaction in
            try await transaction.touchAPIKey(id, at: date)
            return ((), [])
        }
    }

    /// A credential that did not authenticate, for the audit log. `reason` stays in the log:
    /// the client is told only `unauthorized`.
    public func recordFailedAuthentication(keyID: UUID?, reason: String, origin: AuditContext) async throws(IdentityError) {
        let now = self.now()
        _ = try await self.perform { transaction in
            var organization: UUID?
            if let keyID { organization = try await transaction.apiKey(keyID)?.organizationID }
            let data = ["reason": reason]
            try await Self.appendAudit(
                AuditEvent(
                    organizationID: organization,
                    context: AuditContext(
                        actorID: nil,
                        keyID: keyID,
                        requestID: origin.requestID,
                        clientAddress: origin.clientAddress,
                        userAgent: origin.userAgent
                    ),
                    action: "authentication.failed",
                    targetType: keyID.map { _ in APIKeyRecord.resourceType },
                    targetID: keyID,
                    outcome: .denied,
                    data: data,
                    createdAt: now
                ),
                transaction
            )
            return ((), [])
        }
    }

    // MARK: Plumbing

    /// One lifecycle step: `change` returns the key's next state, or nil when it is already
    /// there (no write, no revision); `then` may change more in the same transaction, its
    /// entries audited by `perform` like any other write's (a key's own entry has no audit
    /// event of its own: the step writes one naming its action).
    func transition(
        _ id: UUID,
        audit: AuditContext,
        action: String,
        change: @escaping @Sendable (APIKeyRecord) throws(IdentityError) -> APIKeyRecord?,
        then: @escaping @Sendable (APIKeyRecord, any IdentityTransaction) async throws -> [ChangeLogEntry] = { _, _ in [] }
    ) async throws(IdentityError) -> (APIKeyRecord, revision: UInt64) {
        let now = self.now()
        return try await self.perform(audit: audit) { transaction in
            guard let key = try await transaction.apiKey(id) else { throw IdentityError.notFound("API key") }
            guard let changed = try change(key) else { return (key, []) }
            try await transaction.updateAPIKey(changed)
            try await Self.appendAudit(Self.audit(action, key, audit, at: now), transaction)
            return (changed, [.apiKeyChanged(organization: key.organizationID, key: key.id)] + (try await then(changed, transaction)))
        }
    }

    /// With its last key revoked, nobody can ever act as an organization key's service
    /// principal again: it leaves the organization and its teams, so member lists and
    /// lookup-subjects stop naming it. A disabled key may be enabled again, and an expired
    /// one still names its principal, so either keeps it; so does being the last owner.
    static func retireServicePrincipal(of key: APIKeyRecord, policy: Policy, _ transaction: any IdentityTransaction) async throws -> [ChangeLogEntry]
    {
        guard let organization = key.organizationID, try await transaction.unrevokedAPIKeyCount(principal: key.principalID) == 0,
            try await transaction.principal(key.principalID)?.kind == .service
        else { return [] }
        try await transaction.lockOrganization(organization)
        guard let member = try await transaction.membership(organization: organization, principal: key.principalID) else { return [] }
        let owner = policy.organizationOwner.name
        if member.role == owner, try await transaction.countMembers(organization: organization, role: owner) <= 1 { return [] }
        try await transaction.deleteMembership(organization: organization, principal: key.principalID)
        return [.memberRemoved(organization: organization, principal: key.principalID, role: member.role)]
    }

    static func audit(_ action: String, _ key: APIKeyRecord, _ context: AuditContext, at date: Date, data: [String: String] = [:]) -> AuditEvent {
        AuditEvent(
            organizationID: key.organizationID,
            context: context,
            action: action,
            targetType: APIKeyRecord.resourceType,
            targetID: key.id,
            data: data.filter { !$0.value.isEmpty },
            createdAt: date
        )
    }

    static func validateKeyName(_ name: String) throws(IdentityError) -> String {
        let trimmed = name.trimmingBlank()
        guard name.scalarCount <= 100, !trimmed.isEmpty else { throw .invalid(field: "name", message: "must be 1 to 100 characters") }
        return trimmed
    }

    func validate(scopes: [String]?) throws(IdentityError) {
        guard let scopes else { return }
        guard !scopes.isEmpty else { throw .invalid(field: "scopes", message: "name at least one permission, or omit scopes for full access") }
        guard scopes.count <= 100 else { throw .invalid(field: "scopes", message: "at most 100 permissions") }
        for (index, scope) in scopes.enumerated() where self.policy.permission(named: scope) == nil {
            throw .invalid(field: "scopes[\(index)]", message: "unknown permission '\(scope)'")
        }
    }

    /// An organization key acts only through its role, so a scope the role does not grant
    /// could never be used: refusing it keeps what a key says it may do what it may do.
    func validate(scopes: [String], within roleName: String) throws(IdentityError) {
        // An unknown role is refused, with its field, by the role rule.
        guard let role = self.policy.organization.role(named: roleName) else { return }
        for (index, scope) in scopes.enumerated() {
            guard let permission = self.policy.permission(named: scope), !role.permissions.contains(permission) else { continue }
            throw .invalid(field: "scopes[\(index)]", message: "'\(scope)' is not granted by the key's role '\(roleName)'")
        }
    }

    /// argon2id takes tens of milliseconds of CPU: on NIO's blocking pool, never on the
    /// threads that serve requests.
    static func hash(_ secret: [UInt8], with hasher: PasswordHasher) async throws(IdentityError) -> String {
        do {
            return try await NIOThreadPool.singleton.runIfActive { hasher.hash(secret) }
        } catch {
            throw .unavailable("hashing pool: \(error)")
        }
    }
}
