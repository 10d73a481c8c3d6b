public import APIKeys
public import Foundation

extension IdentityService {
    /// Makes sure the platform admin can log in.
    ///
    /// - With `configuredKey` (`AUTHZ_BOOTSTRAP_KEY`, at least 32 characters): that string is
    ///   the platform admin's key, on every start — stored (as argon2id) on first use, with a
    ///   platform admin of its own, and re-stored if the operator changes it.
    /// - Without: on a store with no platform admin, one is created with a new `azk_` key,
    ///   returned in `generated` to be printed once; on any later start, nil — a key is never
    ///   shown twice.
    public func bootstrap(configuredKey: String?, hasher: PasswordHasher = .owasp) async throws(IdentityError) -> BootstrapKey? {
        if let configuredKey, configuredKey.count < 32 {
            throw .invalid(field: "AUTHZ_BOOTSTRAP_KEY", message: "must be at least 32 characters")
        }
        let now = self.now()
        let generated: APIKey? = configuredKey == nil ? APIKey.generate(id: UUID.timeOrdered(at: now)) : nil
        let secret = configuredKey.map { Array($0.utf8) } ?? generated?.secret ?? []
        let keyID = generated?.id ?? BootstrapKey.configuredKeyID
        // Hash before the transaction: argon2id takes tens of milliseconds and must not hold
        // the store's write lock.
        let hash = hasher.hash(secret)
        let (hasAdmin, record) = try await self.reading { transaction in
            (try await transaction.hasPlatformAdmin(), try await transaction.apiKey(keyID))
        }
        if configuredKey == nil, hasAdmin { return nil }
        if let record, PasswordHasher.verify(secret, against: record.secretHash) {
            return nil
        }
        let (principal, _) = try await self.perform(audit: AuditContext(actorID: nil)) { transaction in
            var entries: [ChangeLogEntry] = []
            let admin: Principal
            if let record = try await transaction.apiKey(keyID), let owner = try await transaction.principal(record.principalID) {
                try await transaction.deleteAPIKey(keyID)
                admin = owner
            } else {
                admin = Principal(
                    id: UUID.timeOrdered(at: now),
                    kind: .user,
                    email: nil,
                    name: "platform admin",
                    externalSubject: nil,
                    isPlatformAdmin: true,
                    createdAt: now
                )
                try await transaction.insertPrincipal(admin)
                entries.append(.principalCreated(principal: admin.id, kind: .user, platformAdmin: true))
            }
            try await transaction.insertAPIKey(
                APIKeyRecord(
                    id: keyID,
                    principalID: admin.id,
                    organizationID: nil,
                    name: "bootstrap",
                    secretHash: hash,
                    role: nil,
                    scopes: nil,
                    status: .active,
                    createdAt: now,
                    expiresAt: nil,
                    lastUsedAt: nil
                )
            )
            return (admin, entries)
        }
        return BootstrapKey(principal: principal, generated: generated?.rendered)
    }

    public func apiKey(_ id: UUID) async throws(IdentityError) -> APIKeyRecord? {
        try await self.reading { try await $0.apiKey(id) }
    }
}
