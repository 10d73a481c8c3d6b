public import Foundation

extension IdentityStore {
    /// Walks every chain from its start, recomputing each hash, and compares each chain's end
    /// with its recorded head: an edited, removed or reordered entry is reported as the first
    /// entry whose hash no longer follows (or, for entries removed from a chain's end, as a
    /// mismatch with the head). One read transaction: a consistent view while writers go on.
    /// It needs no policy and no snapshot: `authz audit verify` reads the store alone.
    public func verifyAudit(pageSize: Int = 1_000) async throws -> AuditVerification {
        try await self.read { transaction in try await AuditVerification.verify(in: transaction, pageSize: pageSize) }
    }
}

extension AuditVerification {
    static func verify(in transaction: any IdentityTransaction, pageSize: Int) async throws -> AuditVerification {
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
                        sequence: record.sequence,
                        chain: chain,
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
                    sequence: nil,
                    chain: head.chain,
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
