public import Foundation
internal import NIOCore
internal import PostgresNIO

/// The audit log and idempotency records: rows beside the identity data, written in the same
/// transactions, never part of the change log.
extension PostgresIdentityTransaction {
    public func appendAuditEvent(_ event: AuditEvent) async throws {
        try await self.execute(
            """
            INSERT INTO audit_events (id, organization_id, actor_id, action, target_type, target_id, data, created_at)
            VALUES (\(event.id), \(event.organizationID), \(event.actorID), \(event.action), \(event.targetType), \(event.targetID),
                    \(event.encodedData), \(event.createdAt))
            """
        )
    }

    public func auditEvents(organization: UUID?, after: Int64, limit: Int) async throws -> [(sequence: Int64, event: AuditEvent)] {
        try await self.rows(
            """
            SELECT * FROM audit_events WHERE (\(organization)::uuid IS NULL OR organization_id = \(organization)) AND sequence > \(after)
            ORDER BY sequence LIMIT \(limit)
            """
        ).map { row in
            let event = AuditEvent(
                id: try row["id"].decode(UUID.self), organizationID: try row["organization_id"].decode(UUID?.self),
                actorID: try row["actor_id"].decode(UUID?.self), action: try row["action"].decode(String.self),
                targetType: try row["target_type"].decode(String?.self), targetID: try row["target_id"].decode(UUID?.self),
                data: AuditEvent.decodeData(try row["data"].decode(String.self)), createdAt: try row["created_at"].decode(Date.self)
            )
            return (try row["sequence"].decode(Int64.self), event)
        }
    }

    public func idempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws -> IdempotencyRecord? {
        try await self.rows(
            "SELECT * FROM idempotency_records WHERE principal_id = \(principal) AND key_digest = \(ByteBuffer(bytes: keyDigest))"
        ).first.map { row in
            IdempotencyRecord(
                principalID: try row["principal_id"].decode(UUID.self), keyDigest: keyDigest,
                requestDigest: Array(try row["request_digest"].decode(ByteBuffer.self).readableBytesView),
                sealedResponse: Array(try row["response"].decode(ByteBuffer.self).readableBytesView),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    public func insertIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        try await self.execute(
            """
            INSERT INTO idempotency_records (principal_id, key_digest, request_digest, response, created_at)
            VALUES (\(record.principalID), \(ByteBuffer(bytes: record.keyDigest)), \(ByteBuffer(bytes: record.requestDigest)),
                    \(ByteBuffer(bytes: record.sealedResponse)), \(record.createdAt))
            """
        )
    }

    public func completeIdempotencyRecord(principal: UUID, keyDigest: [UInt8], sealedResponse: [UInt8]) async throws {
        try await self.execute(
            """
            UPDATE idempotency_records SET response = \(ByteBuffer(bytes: sealedResponse))
            WHERE principal_id = \(principal) AND key_digest = \(ByteBuffer(bytes: keyDigest))
            """
        )
    }

    public func deleteIdempotencyRecord(principal: UUID, keyDigest: [UInt8]) async throws {
        try await self.execute(
            "DELETE FROM idempotency_records WHERE principal_id = \(principal) AND key_digest = \(ByteBuffer(bytes: keyDigest))"
        )
    }

    public func deleteIdempotencyRecords(before date: Date) async throws {
        try await self.execute("DELETE FROM idempotency_records WHERE created_at < \(date)")
    }
}
