public import Foundation
internal import NIOCore
internal import SQLiteNIO

/// The audit log and idempotency records: rows beside the identity data, written in the same
/// transactions, never part of the change log.
extension SQLiteIdentityTransaction {
    public func insertAuditRecord(_ event: AuditEvent, hash: [UInt8], head: AuditChainHead) async throws {
        let context = event.context
        _ = try await self.query(
            "INSERT INTO audit_events (id, organization_id, actor_id, key_id, action, target_type, target_id, outcome, request_id, "
                + "client_address, user_agent, data, created_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(event.id), SQLiteData(event.organizationID), SQLiteData(context.actorID), SQLiteData(context.keyID), .text(event.action),
                SQLiteData(event.targetType), SQLiteData(event.targetID), .text(event.outcome.rawValue), SQLiteData(context.requestID),
                SQLiteData(context.clientAddress), SQLiteData(context.userAgent), .text(event.encodedData), SQLiteData(event.createdAt),
                .blob(Self.buffer(hash)),
            ]
        )
        _ = try await self.query(
            "INSERT INTO audit_chains (chain, length, head) VALUES (?, ?, ?) ON CONFLICT (chain) DO UPDATE SET length = excluded.length, head = excluded.head",
            [.text(head.chain), .integer(Int(head.length)), .blob(Self.buffer(head.head))]
        )
    }

    public func auditChainHead(_ chain: String) async throws -> AuditChainHead? {
        try await self.query("SELECT * FROM audit_chains WHERE chain = ?", [.text(chain)]).first.map(Self.chainHead)
    }

    public func auditChainHeads() async throws -> [AuditChainHead] {
        try await self.query("SELECT * FROM audit_chains ORDER BY chain").map(Self.chainHead)
    }

    public func auditRecords(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord] {
        let from = filter.from.map { SQLiteData($0) } ?? .null, to = filter.to.map { SQLiteData($0) } ?? .null
        let rows = try await self.query(
            // Numbered parameters: each filter is bound once and tested twice.
            """
            SELECT * FROM audit_events WHERE sequence > ?7
            AND (?1 IS NULL OR organization_id = ?1) AND (?2 IS NULL OR actor_id = ?2) AND (?3 IS NULL OR action = ?3)
            AND (?4 IS NULL OR outcome = ?4) AND (?5 IS NULL OR created_at >= ?5) AND (?6 IS NULL OR created_at < ?6)
            ORDER BY sequence LIMIT ?8
            """,
            [
                SQLiteData(filter.organization), SQLiteData(filter.actor), SQLiteData(filter.action), SQLiteData(filter.outcome?.rawValue), from, to,
                .integer(Int(after)), .integer(limit),
            ]
        )
        return try rows.map { row in
            let context = AuditContext(
                actorID: row.column("actor_id")?.uuid, keyID: row.column("key_id")?.uuid, requestID: row.column("request_id")?.uuid,
                clientAddress: row.column("client_address")?.string, userAgent: row.column("user_agent")?.string
            )
            let event = AuditEvent(
                id: try row.required("id", \.uuid), organizationID: row.column("organization_id")?.uuid, context: context,
                action: try row.required("action", \.string), targetType: row.column("target_type")?.string, targetID: row.column("target_id")?.uuid,
                outcome: try row.required("outcome") { $0.string.flatMap(AuditOutcome.init(rawValue:)) },
                data: AuditEvent.decodeData(try row.required("data", \.string)), createdAt: try row.required("created_at", \.date)
            )
            return AuditRecord(
                sequence: Int64(try row.required("sequence", \.integer)), event: event,
                hash: row.column("hash")?.blob.map { Array($0.readableBytesView) } ?? []
            )
        }
    }

    static func chainHead(_ row: SQLiteRow) throws -> AuditChainHead {
        AuditChainHead(
            chain: try row.required("chain", \.string), length: Int64(try row.required("length", \.integer)),
            head: row.column("head")?.blob.map { Array($0.readableBytesView) } ?? []
        )
    }

    public func idempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws -> IdempotencyRecord? {
        try await self.query(
            "SELECT * FROM idempotency_records WHERE principal_id = ? AND key_digest = ?", [SQLiteData(principal), .blob(Self.buffer(keyDigest))]
        ).first.map { row in
            IdempotencyRecord(
                principalID: try row.required("principal_id", \.uuid), keyDigest: keyDigest,
                requestDigest: try row.required("request_digest") { $0.blob.map { Array($0.readableBytesView) } },
                sealedResponse: row.column("response")?.blob.map { Array($0.readableBytesView) } ?? [],
                createdAt: try row.required("created_at", \.date)
            )
        }
    }

    public func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        _ = try await self.query(
            "INSERT INTO idempotency_records (principal_id, key_digest, request_digest, response, created_at) VALUES (?, ?, ?, ?, ?)",
            [
                SQLiteData(record.principalID), .blob(Self.buffer(record.keyDigest)), .blob(Self.buffer(record.requestDigest)),
                .blob(Self.buffer(record.sealedResponse)), SQLiteData(record.createdAt),
            ]
        )
    }

    public func completeIdempotencyRecord(principal: UUID, keyDigest: [UInt8], sealedResponse: [UInt8]) async throws {
        _ = try await self.query(
            "UPDATE idempotency_records SET response = ? WHERE principal_id = ? AND key_digest = ?",
            [.blob(Self.buffer(sealedResponse)), SQLiteData(principal), .blob(Self.buffer(keyDigest))]
        )
    }

    public func deleteIdempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws {
        _ = try await self.query(
            "DELETE FROM idempotency_records WHERE principal_id = ? AND key_digest = ?", [SQLiteData(principal), .blob(Self.buffer(keyDigest))]
        )
    }

    public func deleteIdempotencyRecords(before date: Date) async throws {
        _ = try await self.query("DELETE FROM idempotency_records WHERE created_at < ?", [SQLiteData(date)])
    }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }
}
