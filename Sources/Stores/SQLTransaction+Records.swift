public import Foundation
public import Identity

/// The audit log and idempotency records: rows beside the identity data, written in the same
/// transactions, never part of the change log.
extension SQLTransaction {
    public func insertAuditRecord(_ event: AuditEvent, hash: [UInt8], head: AuditChainHead) async throws {
        let context = event.context
        try await self.execute(
            """
            INSERT INTO audit_events (id, organization_id, actor_id, key_id, action, target_type, target_id, outcome, request_id,
                                      client_address, user_agent, data, created_at, hash)
            VALUES (\(event.id), \(event.organizationID), \(context.actorID), \(context.keyID), \(event.action), \(event.targetType),
                    \(event.targetID), \(event.outcome.rawValue), \(context.requestID), \(context.clientAddress), \(context.userAgent),
                    \(event.encodedData), \(event.createdAt), \(hash))
            """
        )
        try await self.execute(
            """
            INSERT INTO audit_chains (chain, length, head) VALUES (\(head.chain), \(head.length), \(head.head))
            ON CONFLICT (chain) DO UPDATE SET length = excluded.length, head = excluded.head
            """
        )
    }

    public func auditChainHead(_ chain: String) async throws -> AuditChainHead? {
        try await self.rows("SELECT * FROM audit_chains WHERE chain = \(chain)").first.map(Self.chainHead)
    }

    public func auditChainHeads() async throws -> [AuditChainHead] {
        try await self.rows("SELECT * FROM audit_chains ORDER BY chain").map(Self.chainHead)
    }

    public func auditRecords(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord] {
        try await self.rows(
            """
            SELECT * FROM audit_events WHERE sequence > \(after)
            AND (\(filter.organization) IS NULL OR organization_id = \(filter.organization))
            AND (\(filter.actor) IS NULL OR actor_id = \(filter.actor))
            AND (\(filter.action) IS NULL OR action = \(filter.action))
            AND (\(filter.outcome?.rawValue) IS NULL OR outcome = \(filter.outcome?.rawValue))
            AND (\(filter.from) IS NULL OR created_at >= \(filter.from))
            AND (\(filter.to) IS NULL OR created_at < \(filter.to))
            ORDER BY sequence LIMIT \(limit)
            """
        ).map { row in
            let context = AuditContext(
                actorID: try row["actor_id"].decode(UUID?.self),
                keyID: try row["key_id"].decode(UUID?.self),
                requestID: try row["request_id"].decode(UUID?.self),
                clientAddress: try row["client_address"].decode(String?.self),
                userAgent: try row["user_agent"].decode(String?.self)
            )
            let event = AuditEvent(
                id: try row["id"].decode(UUID.self),
                organizationID: try row["organization_id"].decode(UUID?.self),
                context: context,
                action: try row["action"].decode(String.self),
                targetType: try row["target_type"].decode(String?.self),
                targetID: try row["target_id"].decode(UUID?.self),
                outcome: try AuditOutcome(rawValue: try row["outcome"].decode(String.self)).orThrow(column: "outcome"),
                data: AuditEvent.decodeData(try row["data"].decode(String.self)),
                createdAt: try row["created_at"].decode(Date.self)
            )
            return AuditRecord(
                sequence: try row["sequence"].decode(Int64.self),
                event: event,
                hash: try row["hash"].decode([UInt8].self)
            )
        }
    }

    static func chainHead(_ row: SQLRow) throws -> AuditChainHead {
        AuditChainHead(
            chain: try row["chain"].decode(String.self),
            length: try row["length"].decode(Int64.self),
            head: try row["head"].decode([UInt8].self)
        )
    }

    public func idempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws -> IdempotencyRecord? {
        try await self.rows(
            "SELECT * FROM idempotency_records WHERE principal_id = \(principal) AND key_digest = \(keyDigest)"
        ).first.map { row in
            IdempotencyRecord(
                principalID: try row["principal_id"].decode(UUID.self),
                keyDigest: keyDigest,
                requestDigest: try row["request_digest"].decode([UInt8].self),
                sealedResponse: try row["response"].decode([UInt8].self),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    public func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        try await self.execute(
            """
            INSERT INTO idempotency_records (principal_id, key_digest, request_digest, response, created_at)
            VALUES (\(record.principalID), \(record.keyDigest), \(record.requestDigest),
                    \(record.sealedResponse), \(record.createdAt))
            """
        )
    }

    public func completeIdempotencyRecord(principal: UUID, keyDigest: [UInt8], sealedResponse: [UInt8]) async throws {
        try await self.execute(
            """
            UPDATE idempotency_records SET response = \(sealedResponse)
            WHERE principal_id = \(principal) AND key_digest = \(keyDigest)
            """
        )
    }

    public func deleteIdempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws {
        try await self.execute(
            "DELETE FROM idempotency_records WHERE principal_id = \(principal) AND key_digest = \(keyDigest)"
        )
    }

    public func deleteIdempotencyRecords(before date: Date) async throws {
        try await self.execute("DELETE FROM idempotency_records WHERE created_at < \(date)")
    }
}
