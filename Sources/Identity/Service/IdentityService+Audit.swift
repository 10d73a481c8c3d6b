public import Foundation

extension IdentityService {
    /// Appends `event` to its chain inside the caller's transaction: the hash links it to the
    /// chain's previous event, and the chain's head moves with it. Writes are serialized by
    /// the store, so a chain never forks.
    public static func appendAudit(_ event: AuditEvent, _ transaction: any IdentityTransaction) async throws {
        let chain = AuditRecord.chain(of: event)
        let previous = try await transaction.auditChainHead(chain)
        let hash = event.hash(after: previous?.head ?? AuditEvent.chainStart)
        try await transaction.insertAuditRecord(
            event,
            hash: hash,
            head: AuditChainHead(chain: chain, length: (previous?.length ?? 0) + 1, head: hash)
        )
    }

    /// An audit record of something that changed nothing (a refused request).
    public func recordAudit(_ event: AuditEvent) async throws(IdentityError) {
        _ = try await self.perform { transaction in
            try await Self.appendAudit(event, transaction)
            return ((), [])
        }
    }

    public func auditRecords(organization: UUID?, after: Int64, limit: Int) async throws(IdentityError) -> [AuditRecord] {
        try await self.auditRecords(AuditFilter(organization: organization), after: after, limit: limit)
    }

    public func auditRecords(_ filter: AuditFilter, after: Int64, limit: Int) async throws(IdentityError) -> [AuditRecord] {
        try await self.reading { try await $0.auditRecords(filter, after: after, limit: limit) }
    }

    /// See `IdentityStore.verifyAudit`.
    public func verifyAudit(pageSize: Int = 1_000) async throws(IdentityError) -> AuditVerification {
        try await self.reading { transaction in try await AuditVerification.verify(in: transaction, pageSize: pageSize) }
    }
}
