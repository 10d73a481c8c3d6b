public import Foundation

extension IdentityService {
    /// Appends `event` to its chain inside the caller's transaction: the hash links it to the
    /// chain's previous event, and the chain's head moves with it. Writes are serialized by
    /// the store, so a chain never forks.
    package static func appendAudit(_ event: AuditEvent, _ transaction: Store.Transaction) async throws {
        let chain = AuditRecord.chain(of: event)
        let previous = try await transaction.auditChainHead(chain)
        let hash = event.hash(after: previous?.head ?? AuditEvent.chainStart)
        try await transaction.insertAuditRecord(event, hash: hash, head: AuditChainHead(chain: chain, length: (previous?.length ?? 0) + 1, head: hash))
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

    /// Walks every chain from its start, recomputing each hash, and compares each chain's end
    /// with its recorded head: an edited, removed or reordered entry is reported as the first
    /// entry whose hash no longer follows (or, for entries removed from a chain's end, as a
    /// mismatch with the head). One read transaction: a consistent view while writers go on.
    public func verifyAudit(pageSize: Int = 1_000) async throws(IdentityError) -> AuditVerification {
        try await self.reading { transaction in
            var last: [String: (hash: [UInt8], count: Int64)] = [:]
            var after: Int64 = 0
            var total = 0
            while true {
                let page = try await transaction.auditRecords(AuditFilter(), after: after, limit: pageSize)
                for record in page {
                    let chain = record.chain
                    let previous = last[chain] ?? (AuditEvent.chainStart, 0)
                    guard record.hash == record.event.hash(after: previous.hash) else {
                        return .broken(
                            sequence: record.sequence, chain: chain,
                            reason: "event \(record.event.id.uuidString.lowercased()) (\(record.event.action)) does not follow the entry before it: "
                                + "it, or an entry before it in its chain, was edited, removed or reordered"
                        )
                    }
                    last[chain] = (record.hash, previous.count + 1)
                    total += 1
                }
                guard let end = page.last, page.count == pageSize else { break }
                after = end.sequence
            }
            let heads = try await transaction.auditChainHeads()
            for head in heads {
                let end = last[head.chain] ?? (AuditEvent.chainStart, 0)
                guard end.count == head.length, end.hash == head.head else {
                    return .broken(
                        sequence: nil, chain: head.chain,
                        reason: "the chain holds \(end.count) events where its head records \(head.length): its latest entries were removed or changed"
                    )
                }
            }
            if let orphan = Set(last.keys).subtracting(heads.map(\.chain)).sorted().first {
                return .broken(sequence: nil, chain: orphan, reason: "the chain has events but no recorded head")
            }
            return .intact(events: total, chains: heads.count)
        }
    }
}
