public import Foundation

extension IdentityService {
    /// How long a key is remembered (docs/API.md §1).
    public static var idempotencyRetention: TimeInterval { 86_400 }
    /// A request that held its key this long without finishing is taken to have died.
    static var idempotencyPendingTimeout: TimeInterval { 60 }

    /// Claims the key for this request, or says why not, in one transaction: two requests
    /// with the same key cannot both start.
    public func beginIdempotentRequest(principal: UUID, keyDigest: [UInt8], requestDigest: [UInt8]) async throws(IdentityError) -> IdempotencyStart {
        let now = self.now()
        return try await self.perform { transaction in
            if let record = try await transaction.idempotencyRecord(principal: principal, keyDigest: keyDigest) {
                let age = now.timeIntervalSince(record.createdAt)
                let stale = age >= Self.idempotencyRetention || (record.isPending && age >= Self.idempotencyPendingTimeout)
                if !stale {
                    guard record.requestDigest == requestDigest else { return (.mismatch, []) }
                    return (record.isPending ? .inProgress : .replay(sealedResponse: record.sealedResponse), [])
                }
                try await transaction.deleteIdempotencyRecord(principal: principal, keyDigest: keyDigest)
            }
            try await transaction.insertIdempotencyRecord(
                IdempotencyRecord(principalID: principal, keyDigest: keyDigest, requestDigest: requestDigest, sealedResponse: [], createdAt: now)
            )
            return (.started, [])
        }.0
    }

    public func completeIdempotentRequest(principal: UUID, keyDigest: [UInt8], sealedResponse: [UInt8]) async throws(IdentityError) {
        _ = try await self.perform { transaction in
            try await transaction.completeIdempotencyRecord(principal: principal, keyDigest: keyDigest, sealedResponse: sealedResponse)
            return ((), [])
        }
    }

    /// The request failed: nothing was done, so the key may be used again.
    public func abandonIdempotentRequest(principal: UUID, keyDigest: [UInt8]) async throws(IdentityError) {
        _ = try await self.perform { transaction in
            try await transaction.deleteIdempotencyRecord(principal: principal, keyDigest: keyDigest)
            return ((), [])
        }
    }

    /// Forgets keys past their retention.
    public func purgeIdempotencyRecords() async throws(IdentityError) {
        let cutoff = self.now().addingTimeInterval(-Self.idempotencyRetention)
        _ = try await self.perform { transaction in
            try await transaction.deleteIdempotencyRecords(before: cutoff)
            return ((), [])
        }
    }
}
