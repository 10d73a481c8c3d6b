public import Foundation
public import Identity

extension SQLTransaction {
    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        try await self.execute(
            """
            INSERT INTO api_keys (id, principal_id, organization_id, name, secret_hash, role, scopes, status, created_at, expires_at,
                                  last_used_at, created_by, replaced_by, replaces)
            VALUES (\(key.id), \(key.principalID), \(key.organizationID), \(key.name), \(key.secretHash), \(key.role),
                    \(try APIKeyScopes.encode(key.scopes)), \(key.status.rawValue), \(key.createdAt), \(key.expiresAt), \(key.lastUsedAt),
                    \(key.createdBy), \(key.replacedBy), \(key.replaces))
            """
        )
    }

    public func apiKey(_ id: UUID) async throws -> APIKeyRecord? {
        try await self.rows("SELECT * FROM api_keys WHERE id = \(id)").first.map(Self.apiKey)
    }

    public func updateAPIKey(_ key: APIKeyRecord) async throws {
        try await self.execute(
            "UPDATE api_keys SET status = \(key.status.rawValue), expires_at = \(key.expiresAt), replaced_by = \(key.replacedBy) WHERE id = \(key.id)"
        )
    }

    public func touchAPIKey(_ id: UUID, at date: Date) async throws {
        try await self.execute("UPDATE api_keys SET last_used_at = \(date) WHERE id = \(id)")
    }

    public func personalAPIKeys(principal: UUID, after: UUID?, limit: Int) async throws -> [APIKeyRecord] {
        try await self.rows(
            """
            SELECT * FROM api_keys WHERE principal_id = \(principal) AND organization_id IS NULL
            AND (\(after) IS NULL OR id > \(after)) ORDER BY id LIMIT \(limit)
            """
        ).map(Self.apiKey)
    }

    public func organizationAPIKeys(organization: UUID, after: UUID?, limit: Int) async throws -> [APIKeyRecord] {
        try await self.rows(
            "SELECT * FROM api_keys WHERE organization_id = \(organization) AND (\(after) IS NULL OR id > \(after)) ORDER BY id LIMIT \(limit)"
        ).map(Self.apiKey)
    }

    public func unrevokedAPIKeyCount(principal: UUID) async throws -> Int {
        let rows = try await self.rows(
            "SELECT COUNT(*) AS count FROM api_keys WHERE principal_id = \(principal) AND status <> \(APIKeyStatus.revoked.rawValue)"
        )
        return try rows.first.map { Int(try $0["count"].decode(Int64.self)) } ?? 0
    }

    public func deleteAPIKey(_ id: UUID) async throws {
        try await self.execute("DELETE FROM api_keys WHERE id = \(id)")
    }

    static func apiKey(_ row: SQLRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row["id"].decode(UUID.self),
            principalID: try row["principal_id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID?.self),
            name: try row["name"].decode(String.self),
            secretHash: try row["secret_hash"].decode(String.self),
            role: try row["role"].decode(String?.self),
            scopes: try APIKeyScopes.decode(try row["scopes"].decode(String?.self)),
            status: try APIKeyStatus(rawValue: try row["status"].decode(String.self)).orThrow(column: "status"),
            createdAt: try row["created_at"].decode(Date.self),
            expiresAt: try row["expires_at"].decode(Date?.self),
            lastUsedAt: try row["last_used_at"].decode(Date?.self),
            createdBy: try row["created_by"].decode(UUID?.self),
            replacedBy: try row["replaced_by"].decode(UUID?.self),
            replaces: try row["replaces"].decode(UUID?.self)
        )
    }
}
