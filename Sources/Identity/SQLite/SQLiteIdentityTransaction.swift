public import Foundation
internal import APIKeys
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
            [SQLiteData(organization), Self.cursor(after), .integer(limit)]
        ).map(Self.membership)
    }

    public func memberships(principal: UUID) async throws -> [Membership] {
        try await self.query("SELECT * FROM memberships WHERE principal_id = ? ORDER BY organization_id", [SQLiteData(principal)])
            .map(Self.membership)
    }

    public func insertTeam(_ team: Team) async throws {
        _ = try await self.query(
            "INSERT INTO teams (id, organization_id, name, created_at) VALUES (?, ?, ?, ?)",
            [SQLiteData(team.id), SQLiteData(team.organizationID), .text(team.name), SQLiteData(team.createdAt)]
        )
    }

    public func renameTeam(_ id: UUID, name: String) async throws {
        _ = try await self.query("UPDATE teams SET name = ? WHERE id = ?", [.text(name), SQLiteData(id)])
    }

    public func renameOrganization(_ id: UUID, name: String) async throws {
        _ = try await self.query("UPDATE organizations SET name = ? WHERE id = ?", [.text(name), SQLiteData(id)])
    }

    public func organizationDependents(_ id: UUID) async throws -> OrganizationDependents {
        let binds = [SQLiteData(id)]
        func ids(_ sql: String) async throws -> [UUID] {
            try await self.query(sql, binds).map { try $0.required("id", \.uuid) }
        }
        return OrganizationDependents(
            members: try await ids("SELECT principal_id AS id FROM memberships WHERE organization_id = ? ORDER BY principal_id"),
            organizationKeys: try await ids("SELECT id FROM api_keys WHERE organization_id = ? ORDER BY id"),
            activeJobs: try await ids("SELECT id FROM jobs WHERE organization_id = ? AND status IN ('queued', 'running') ORDER BY id"),
            activeRuns: try await ids("SELECT id FROM workflow_runs WHERE organization_id = ? AND status IN ('created', 'queued', 'running') ORDER BY id"),
            assetDigests: try await self.query("SELECT DISTINCT sha256 FROM assets WHERE organization_id = ? ORDER BY sha256", binds).map {
                try $0.required("sha256", \.string)
            }
        )
    }

    public func deleteOrganization(_ id: UUID) async throws {
        let binds = [SQLiteData(id)]
        _ = try await self.query(
            "DELETE FROM resource_events WHERE resource_id IN (SELECT id FROM jobs WHERE organization_id = ? UNION SELECT id FROM workflow_runs WHERE organization_id = ?)",
            binds + binds
        )
        _ = try await self.query("DELETE FROM organizations WHERE id = ?", binds)
    }

    public func team(_ id: UUID) async throws -> Team? {
        try await self.query("SELECT * FROM teams WHERE id = ?", [SQLiteData(id)]).first.map(Self.team)
    }

    public func teams(organization: UUID, after: UUID?, limit: Int) async throws -> [Team] {
        try await self.query(
            "SELECT * FROM teams WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?",
            [SQLiteData(organization), Self.cursor(after), .integer(limit)]
        ).map(Self.team)
    }

    public func deleteTeam(_ id: UUID) async throws {
        _ = try await self.query("DELETE FROM team_members WHERE team_id = ?", [SQLiteData(id)])
        _ = try await self.query("DELETE FROM teams WHERE id = ?", [SQLiteData(id)])
    }

    public func teamMember(team: UUID, principal: UUID) async throws -> TeamMember? {
        try await self.query(
            "SELECT * FROM team_members WHERE team_id = ? AND principal_id = ?", [SQLiteData(team), SQLiteData(principal)]
        ).first.map(Self.teamMember)
    }

    public func upsertTeamMember(_ member: TeamMember) async throws {
        _ = try await self.query(
            "INSERT INTO team_members (team_id, principal_id, role) VALUES (?, ?, ?) ON CONFLICT (team_id, principal_id) DO UPDATE SET role = excluded.role",
            [SQLiteData(member.teamID), SQLiteData(member.principalID), .text(member.role)]
        )
    }

    public func deleteTeamMember(team: UUID, principal: UUID) async throws {
        _ = try await self.query("DELETE FROM team_members WHERE team_id = ? AND principal_id = ?", [SQLiteData(team), SQLiteData(principal)])
    }

    public func teamMembers(team: UUID, after: UUID?, limit: Int) async throws -> [TeamMember] {
        try await self.query(
            "SELECT * FROM team_members WHERE team_id = ? AND principal_id > ? ORDER BY principal_id LIMIT ?",
            [SQLiteData(team), Self.cursor(after), .integer(limit)]
        ).map(Self.teamMember)
    }

    public func teamMemberships(principal: UUID) async throws -> [TeamMember] {
        try await self.query("SELECT * FROM team_members WHERE principal_id = ? ORDER BY team_id", [SQLiteData(principal)]).map(Self.teamMember)
    }

    public func insertInvitation(_ invitation: Invitation) async throws {
        _ = try await self.query(
            "INSERT INTO invitations (id, organization_id, email, role, team_id, team_role, invited_by, token_digest, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(invitation.id), SQLiteData(invitation.organizationID), .text(invitation.email), .text(invitation.role),
                SQLiteData(invitation.teamID), SQLiteData(invitation.teamRole), SQLiteData(invitation.invitedBy),
                .text(Hex.encode(invitation.tokenDigest)), SQLiteData(invitation.createdAt), SQLiteData(invitation.expiresAt),
            ]
        )
    }

    public func invitation(_ id: UUID) async throws -> Invitation? {
        try await self.query("SELECT * FROM invitations WHERE id = ?", [SQLiteData(id)]).first.map(Self.invitation)
    }

    public func pendingInvitation(organization: UUID, email: String, at now: Date) async throws -> Invitation? {
        try await self.query(
            "SELECT * FROM invitations WHERE organization_id = ? AND lower(email) = ? "
                + "AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? LIMIT 1",
            [SQLiteData(organization), .text(EmailAddress.normalized(email)), SQLiteData(now)]
        ).first.map(Self.invitation)
    }

    public func invitations(organization: UUID, after: UUID?, limit: Int) async throws -> [Invitation] {
        try await self.query(
            "SELECT * FROM invitations WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?",
            [SQLiteData(organization), Self.cursor(after), .integer(limit)]
        ).map(Self.invitation)
    }

    public func markInvitationAccepted(_ id: UUID, by principal: UUID, at date: Date) async throws {
        _ = try await self.query(
            "UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ?", [SQLiteData(date), SQLiteData(principal), SQLiteData(id)]
        )
    }

    public func markInvitationRevoked(_ id: UUID, at date: Date) async throws {
        _ = try await self.query("UPDATE invitations SET revoked_at = ? WHERE id = ?", [SQLiteData(date), SQLiteData(id)])
    }

    public func hasPlatformAdmin() async throws -> Bool {
        try await !self.query("SELECT id FROM principals WHERE platform_admin = 1 LIMIT 1").isEmpty
    }

    /// Ids sort as their lower-case text, so "after the cursor" is a string comparison; no
    /// cursor compares after the empty string, i.e. from the start.
    static func cursor(_ after: UUID?) -> SQLiteData {
        .text(after?.uuidString.lowercased() ?? "")
    }

    static func team(_ row: SQLiteRow) throws -> Team {
        Team(
            id: try row.required("id", \.uuid),
            organizationID: try row.required("organization_id", \.uuid),
            name: try row.required("name", \.string),
            createdAt: try row.required("created_at", \.date)
        )
    }

    static func teamMember(_ row: SQLiteRow) throws -> TeamMember {
        TeamMember(
            teamID: try row.required("team_id", \.uuid), principalID: try row.required("principal_id", \.uuid),
            role: try row.required("role", \.string)
        )
    }

    static func invitation(_ row: SQLiteRow) throws -> Invitation {
        Invitation(
            id: try row.required("id", \.uuid),
            organizationID: try row.required("organization_id", \.uuid),
            email: try row.required("email", \.string),
            role: try row.required("role", \.string),
            teamID: row.column("team_id")?.uuid,
            teamRole: row.column("team_role")?.string,
            invitedBy: try row.required("invited_by", \.uuid),
            tokenDigest: try row.required("token_digest") { $0.string.flatMap(Hex.decode) },
            createdAt: try row.required("created_at", \.date),
            expiresAt: try row.required("expires_at", \.date),
            acceptedAt: row.column("accepted_at")?.date,
            acceptedBy: row.column("accepted_by")?.uuid,
            revokedAt: row.column("revoked_at")?.date
        )
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
