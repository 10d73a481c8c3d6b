public import Foundation
internal import SQLiteNIO

/// One transaction on the store's connection. Only created by `SQLiteIdentityStore`, which
/// holds the connection exclusively for the transaction's whole duration.
public struct SQLiteIdentityTransaction: IdentityTransaction {
    let connection: SQLiteConnection

    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        do {
            return try await self.connection.query(sql, binds)
        } catch let error as SQLiteError where error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed {
            throw IdentityError.conflict("already exists")
        }
    }

    public func insertPrincipal(_ principal: Principal) async throws {
        _ = try await self.query(
            "INSERT INTO principals (id, kind, email, name, external_subject, platform_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(principal.id), .text(principal.kind.rawValue), SQLiteData(principal.email), SQLiteData(principal.name),
                SQLiteData(principal.externalSubject), .integer(principal.isPlatformAdmin ? 1 : 0), SQLiteData(principal.createdAt),
            ]
        )
    }

    public func principal(_ id: UUID) async throws -> Principal? {
        try await self.query("SELECT * FROM principals WHERE id = ?", [SQLiteData(id)]).first.map(Self.principal)
    }

    public func principal(externalSubject: String) async throws -> Principal? {
        try await self.query("SELECT * FROM principals WHERE external_subject = ?", [.text(externalSubject)]).first.map(Self.principal)
    }

    public func insertOrganization(_ organization: Organization) async throws {
        _ = try await self.query(
            "INSERT INTO organizations (id, name, slug, created_at) VALUES (?, ?, ?, ?)",
            [SQLiteData(organization.id), .text(organization.name), .text(organization.slug.value), SQLiteData(organization.createdAt)]
        )
    }

    public func organization(_ id: UUID) async throws -> Organization? {
        try await self.query("SELECT * FROM organizations WHERE id = ?", [SQLiteData(id)]).first.map { row in
            Organization(
                id: try row.required("id", \.uuid),
                name: try row.required("name", \.string),
                slug: try Slug(validating: try row.required("slug", \.string)),
                createdAt: try row.required("created_at", \.date)
            )
        }
    }

    /// SQLite has one writer at a time and every write transaction begins `IMMEDIATE`, so the
    /// whole database is already locked for this transaction.
    public func lockOrganization(_ id: UUID) async throws {}

    public func membership(organization: UUID, principal: UUID) async throws -> Membership? {
        try await self.query(
            "SELECT * FROM memberships WHERE organization_id = ? AND principal_id = ?", [SQLiteData(organization), SQLiteData(principal)]
        ).first.map(Self.membership)
    }

    public func insertMembership(_ membership: Membership) async throws {
        _ = try await self.query(
            "INSERT INTO memberships (organization_id, principal_id, role, created_at) VALUES (?, ?, ?, ?)",
            [SQLiteData(membership.organizationID), SQLiteData(membership.principalID), .text(membership.role), SQLiteData(membership.createdAt)]
        )
    }

    public func updateMembershipRole(organization: UUID, principal: UUID, role: String) async throws {
        _ = try await self.query(
            "UPDATE memberships SET role = ? WHERE organization_id = ? AND principal_id = ?",
            [.text(role), SQLiteData(organization), SQLiteData(principal)]
        )
    }

    public func deleteMembership(organization: UUID, principal: UUID) async throws {
        _ = try await self.query(
            "DELETE FROM team_members WHERE principal_id = ? AND team_id IN (SELECT id FROM teams WHERE organization_id = ?)",
            [SQLiteData(principal), SQLiteData(organization)]
        )
        _ = try await self.query(
            "DELETE FROM memberships WHERE organization_id = ? AND principal_id = ?", [SQLiteData(organization), SQLiteData(principal)]
        )
    }

    public func countMembers(organization: UUID, role: String) async throws -> Int {
        let rows = try await self.query(
            "SELECT COUNT(*) AS count FROM memberships WHERE organization_id = ? AND role = ?", [SQLiteData(organization), .text(role)]
        )
        return try rows.first?.required("count", \.integer) ?? 0
    }

    public func memberships(organization: UUID, after: UUID?, limit: Int) async throws -> [Membership] {
        try await self.query(
            "SELECT * FROM memberships WHERE organization_id = ? AND principal_id > ? ORDER BY principal_id LIMIT ?",
            [SQLiteData(organization), .text(after?.uuidString.lowercased() ?? ""), .integer(limit)]
        ).map(Self.membership)
    }

    public func memberships(principal: UUID) async throws -> [Membership] {
        try await self.query("SELECT * FROM memberships WHERE principal_id = ? ORDER BY organization_id", [SQLiteData(principal)])
            .map(Self.membership)
    }

    static func principal(_ row: SQLiteRow) throws -> Principal {
        Principal(
            id: try row.required("id", \.uuid),
            kind: try row.required("kind") { $0.string.flatMap(PrincipalKind.init(rawValue:)) },
            email: row.column("email")?.string,
            name: row.column("name")?.string,
            externalSubject: row.column("external_subject")?.string,
            isPlatformAdmin: try row.required("platform_admin", \.integer) != 0,
            createdAt: try row.required("created_at", \.date)
        )
    }

    static func membership(_ row: SQLiteRow) throws -> Membership {
        Membership(
            organizationID: try row.required("organization_id", \.uuid),
            principalID: try row.required("principal_id", \.uuid),
            role: try row.required("role", \.string),
            createdAt: try row.required("created_at", \.date)
        )
    }
}
