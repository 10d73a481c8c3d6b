public import Foundation
internal import SQLiteNIO

extension SQLiteIdentityTransaction {
    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        _ = try await self.query(
            "INSERT INTO api_keys (id, principal_id, organization_id, name, secret_hash, role, scopes, status, created_at, expires_at, "
                + "last_used_at, created_by, replaced_by, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(key.id), SQLiteData(key.principalID), SQLiteData(key.organizationID), .text(key.name), .text(key.secretHash),
                SQLiteData(key.role), SQLiteData(try APIKeyScopes.encode(key.scopes)), .text(key.status.rawValue), SQLiteData(key.createdAt),
                key.expiresAt.map { SQLiteData($0) } ?? .null, key.lastUsedAt.map { SQLiteData($0) } ?? .null, SQLiteData(key.createdBy),
                SQLiteData(key.replacedBy), SQLiteData(key.replaces),
            ]
        )
    }

    public func apiKey(_ id: UUID) async throws -> APIKeyRecord? {
        try await self.query("SELECT * FROM api_keys WHERE id = ?", [SQLiteData(id)]).first.map(Self.apiKey)
    }

    public func updateAPIKey(_ key: APIKeyRecord) async throws {
        _ = try await self.query(
            "UPDATE api_keys SET status = ?, expires_at = ?, replaced_by = ? WHERE id = ?",
            [.text(key.status.rawValue), key.expiresAt.map { SQLiteData($0) } ?? .null, SQLiteData(key.replacedBy), SQLiteData(key.id)]
        )
    }

    public func touchAPIKey(_ id: UUID, at date: Date) async throws {
        _ = try await self.query("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [SQLiteData(date), SQLiteData(id)])
    }

    public func personalAPIKeys(principal: UUID, after: UUID?, limit: Int) async throws -> [APIKeyRecord] {
        try await self.query(
            "SELECT * FROM api_keys WHERE principal_id = ? AND organization_id IS NULL AND id > ? ORDER BY id LIMIT ?",
            [SQLiteData(principal), Self.cursor(after), .integer(limit)]
        ).map(Self.apiKey)
    }

    public func organizationAPIKeys(organization: UUID, after: UUID?, limit: Int) async throws -> [APIKeyRecord] {
        try await self.query(
            "SELECT * FROM api_keys WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?",
            [SQLiteData(organization), Self.cursor(after), .integer(limit)]
        ).map(Self.apiKey)
    }

    public func unrevokedAPIKeyCount(principal: UUID) async throws -> Int {
        let rows = try await self.query(
            "SELECT COUNT(*) AS count FROM api_keys WHERE principal_id = ? AND status <> ?", [SQLiteData(principal), .text(APIKeyStatus.revoked.rawValue)]
        )
        return try rows.first?.required("count", \.integer) ?? 0
    }

    public func deleteAPIKey(_ id: UUID) async throws {
        _ = try await self.query("DELETE FROM api_keys WHERE id = ?", [SQLiteData(id)])
    }

    static func apiKey(_ row: SQLiteRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.required("id", \.uuid),
            principalID: try row.required("principal_id", \.uuid),
            organizationID: row.column("organization_id")?.uuid,
            name: try row.required("name", \.string),
            secretHash: try row.required("secret_hash", \.string),
            role: row.column("role")?.string,
            scopes: try APIKeyScopes.decode(row.column("scopes")?.string),
            status: try row.required("status") { $0.string.flatMap(APIKeyStatus.init(rawValue:)) },
            createdAt: try row.required("created_at", \.date),
            expiresAt: row.column("expires_at")?.date,
            lastUsedAt: row.column("last_used_at")?.date,
            createdBy: row.column("created_by")?.uuid,
            replacedBy: row.column("replaced_by")?.uuid,
            replaces: row.column("replaces")?.uuid
        )
    }
}
