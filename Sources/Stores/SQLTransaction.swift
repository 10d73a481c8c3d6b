internal import APIKeys
public import Foundation
public import Identity

/// One transaction, on SQLite or PostgreSQL alike: every statement of the store protocols is
/// written here once. Created only by `SQLiteIdentityStore` and `PostgresIdentityStore`,
/// which hold the connection for the transaction's whole duration.
public struct SQLTransaction: IdentityTransaction {
    let connection: SQLConnection

    var dialect: SQLDialect { self.connection.dialect }

    func rows(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await self.connection.rows(statement)
    }

    func execute(_ statement: SQLStatement) async throws {
        _ = try await self.connection.rows(statement)
    }

    public func insertPrincipal(_ principal: Principal) async throws {
        try await self.execute(
            """
            INSERT INTO principals (id, kind, email, name, external_subject, platform_admin, created_at)
            VALUES (\(principal.id), \(principal.kind.rawValue), \(principal.email), \(principal.name), \(principal.externalSubject),
                    \(principal.isPlatformAdmin), \(principal.createdAt))
            """
        )
    }

    public func principal(_ id: UUID) async throws -> Principal? {
        try await self.rows("SELECT * FROM principals WHERE id = \(id)").first.map(Self.principal)
    }

    public func principal(externalSubject: String) async throws -> Principal? {
        try await self.rows("SELECT * FROM principals WHERE external_subject = \(externalSubject)").first.map(Self.principal)
    }

    public func insertOrganization(_ organization: Organization) async throws {
        try await self.execute(
            "INSERT INTO organizations (id, name, slug, created_at) VALUES (\(organization.id), \(organization.name), \(organization.slug.value), \(organization.createdAt))"
        )
    }

    public func organization(_ id: UUID) async throws -> Organization? {
        try await self.rows("SELECT * FROM organizations WHERE id = \(id)").first.map { row in
            Organization(
                id: try row["id"].decode(UUID.self),
                name: try row["name"].decode(String.self),
                slug: try Slug(validating: try row["slug"].decode(String.self)),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    /// Row lock on the organization: membership changes of one organization queue behind each
    /// other (writes are also serialized store-wide; this keeps the rule local and explicit).
    /// SQLite's writer already holds the whole database: nothing to lock, no statement to run.
    public func lockOrganization(_ id: UUID) async throws {
        guard self.dialect == .postgres else { return }
        try await self.execute("SELECT id FROM organizations WHERE id = \(id) FOR UPDATE")
    }

    public func membership(organization: UUID, principal: UUID) async throws -> Membership? {
        try await self.rows("SELECT * FROM memberships WHERE organization_id = \(organization) AND principal_id = \(principal)").first
            .map(Self.membership)
    }

    public func insertMembership(_ membership: Membership) async throws {
        try await self.execute(
            """
            INSERT INTO memberships (organization_id, principal_id, role, created_at)
            VALUES (\(membership.organizationID), \(membership.principalID), \(membership.role), \(membership.createdAt))
            """
        )
    }

    public func updateMembershipRole(organization: UUID, principal: UUID, role: String) async throws {
        try await self.execute("UPDATE memberships SET role = \(role) WHERE organization_id = \(organization) AND principal_id = \(principal)")
    }

    public func deleteMembership(organization: UUID, principal: UUID) async throws {
        try await self.execute(
            "DELETE FROM team_members WHERE principal_id = \(principal) AND team_id IN (SELECT id FROM teams WHERE organization_id = \(organization))"
        )
        try await self.execute("DELETE FROM memberships WHERE organization_id = \(organization) AND principal_id = \(principal)")
    }

    public func countMembers(organization: UUID, role: String) async throws -> Int {
        let rows = try await self.rows("SELECT COUNT(*) AS count FROM memberships WHERE organization_id = \(organization) AND role = \(role)")
        return try rows.first.map { Int(try $0["count"].decode(Int64.self)) } ?? 0
    }

    public func memberships(organization: UUID, after: UUID?, limit: Int) async throws -> [Membership] {
        try await self.rows(
            """
            SELECT * FROM memberships WHERE organization_id = \(organization) AND (\(after) IS NULL OR principal_id > \(after))
            ORDER BY principal_id LIMIT \(limit)
            """
        ).map(Self.membership)
    }

    public func memberships(principal: UUID) async throws -> [Membership] {
        try await self.rows("SELECT * FROM memberships WHERE principal_id = \(principal) ORDER BY organization_id").map(Self.membership)
    }

    public func insertTeam(_ team: Team) async throws {
        try await self.execute(
            "INSERT INTO teams (id, organization_id, name, created_at) VALUES (\(team.id), \(team.organizationID), \(team.name), \(team.createdAt))"
        )
    }

    public func renameTeam(_ id: UUID, name: String) async throws {
        try await self.execute("UPDATE teams SET name = \(name) WHERE id = \(id)")
    }

    public func renameOrganization(_ id: UUID, name: String) async throws {
        try await self.execute("UPDATE organizations SET name = \(name) WHERE id = \(id)")
    }

    public func organizationDependents(_ id: UUID) async throws -> OrganizationDependents {
        func ids(_ query: SQLStatement) async throws -> [UUID] {
            try await self.rows(query).map { try $0["id"].decode(UUID.self) }
        }
        return OrganizationDependents(
            members: try await ids("SELECT principal_id AS id FROM memberships WHERE organization_id = \(id) ORDER BY principal_id"),
            organizationKeys: try await ids("SELECT id FROM api_keys WHERE organization_id = \(id) ORDER BY id"),
            activeJobs: try await ids("SELECT id FROM jobs WHERE organization_id = \(id) AND status IN ('queued', 'running') ORDER BY id"),
            activeRuns: try await ids(
                "SELECT id FROM workflow_runs WHERE organization_id = \(id) AND status IN ('created', 'queued', 'running') ORDER BY id"
            ),
            assetDigests: try await self.rows("SELECT DISTINCT sha256 FROM assets WHERE organization_id = \(id) ORDER BY sha256").map {
                try $0["sha256"].decode(String.self)
            }
        )
    }

    public func deleteOrganization(_ id: UUID) async throws {
        try await self.execute(
            """
            DELETE FROM resource_events WHERE resource_id IN (SELECT id FROM jobs WHERE organization_id = \(id)
                UNION SELECT id FROM workflow_runs WHERE organization_id = \(id))
            """
        )
        try await self.execute("DELETE FROM organizations WHERE id = \(id)")
    }

    public func team(_ id: UUID) async throws -> Team? {
        try await self.rows("SELECT * FROM teams WHERE id = \(id)").first.map(Self.team)
    }

    public func teams(organization: UUID, after: UUID?, limit: Int) async throws -> [Team] {
        try await self.rows(
            "SELECT * FROM teams WHERE organization_id = \(organization) AND (\(after) IS NULL OR id > \(after)) ORDER BY id LIMIT \(limit)"
        ).map(Self.team)
    }

    public func deleteTeam(_ id: UUID) async throws {
        try await self.execute("DELETE FROM team_members WHERE team_id = \(id)")
        try await self.execute("DELETE FROM teams WHERE id = \(id)")
    }

    public func teamMember(team: UUID, principal: UUID) async throws -> TeamMember? {
        try await self.rows("SELECT * FROM team_members WHERE team_id = \(team) AND principal_id = \(principal)").first.map(Self.teamMember)
    }

    public func upsertTeamMember(_ member: TeamMember) async throws {
        try await self.execute(
            """
            INSERT INTO team_members (team_id, principal_id, role) VALUES (\(member.teamID), \(member.principalID), \(member.role))
            ON CONFLICT (team_id, principal_id) DO UPDATE SET role = excluded.role
            """
        )
    }

    public func deleteTeamMember(team: UUID, principal: UUID) async throws {
        try await self.execute("DELETE FROM team_members WHERE team_id = \(team) AND principal_id = \(principal)")
    }

    public func teamMembers(team: UUID, after: UUID?, limit: Int) async throws -> [TeamMember] {
        try await self.rows(
            """
            SELECT * FROM team_members WHERE team_id = \(team) AND (\(after) IS NULL OR principal_id > \(after))
            ORDER BY principal_id LIMIT \(limit)
            """
        ).map(Self.teamMember)
    }

    public func teamMemberships(principal: UUID) async throws -> [TeamMember] {
        try await self.rows("SELECT * FROM team_members WHERE principal_id = \(principal) ORDER BY team_id").map(Self.teamMember)
    }

    public func insertInvitation(_ invitation: Invitation) async throws {
        try await self.execute(
            """
            INSERT INTO invitations (id, organization_id, email, role, team_id, team_role, invited_by, token_digest, created_at, expires_at)
            VALUES (\(invitation.id), \(invitation.organizationID), \(invitation.email), \(invitation.role), \(invitation.teamID),
                    \(invitation.teamRole), \(invitation.invitedBy), \(Hex.encode(invitation.tokenDigest)), \(invitation.createdAt),
                    \(invitation.expiresAt))
            """
        )
    }

    public func invitation(_ id: UUID) async throws -> Invitation? {
        try await self.rows("SELECT * FROM invitations WHERE id = \(id)").first.map(Self.invitation)
    }

    public func pendingInvitation(organization: UUID, email: String, at now: Date) async throws -> Invitation? {
        try await self.rows(
            """
            SELECT * FROM invitations WHERE organization_id = \(organization) AND lower(email) = \(EmailAddress.normalized(email))
            AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > \(now) LIMIT 1
            """
        ).first.map(Self.invitation)
    }

    public func invitations(organization: UUID, after: UUID?, limit: Int) async throws -> [Invitation] {
        try await self.rows(
            """
            SELECT * FROM invitations WHERE organization_id = \(organization) AND (\(after) IS NULL OR id > \(after))
            ORDER BY id LIMIT \(limit)
            """
        ).map(Self.invitation)
    }

    public func markInvitationAccepted(_ id: UUID, by principal: UUID, at date: Date) async throws {
        try await self.execute("UPDATE invitations SET accepted_at = \(date), accepted_by = \(principal) WHERE id = \(id)")
    }

    public func markInvitationRevoked(_ id: UUID, at date: Date) async throws {
        try await self.execute("UPDATE invitations SET revoked_at = \(date) WHERE id = \(id)")
    }

    public func hasPlatformAdmin() async throws -> Bool {
        try await !self.rows("SELECT id FROM principals WHERE platform_admin = \(true) LIMIT 1").isEmpty
    }

    static func principal(_ row: SQLRow) throws -> Principal {
        Principal(
            id: try row["id"].decode(UUID.self),
            kind: try PrincipalKind(rawValue: try row["kind"].decode(String.self)).orThrow(column: "kind"),
            email: try row["email"].decode(String?.self),
            name: try row["name"].decode(String?.self),
            externalSubject: try row["external_subject"].decode(String?.self),
            isPlatformAdmin: try row["platform_admin"].decode(Bool.self),
            createdAt: try row["created_at"].decode(Date.self)
        )
    }

    static func membership(_ row: SQLRow) throws -> Membership {
        Membership(
            organizationID: try row["organization_id"].decode(UUID.self),
            principalID: try row["principal_id"].decode(UUID.self),
            role: try row["role"].decode(String.self),
            createdAt: try row["created_at"].decode(Date.self)
        )
    }

    static func team(_ row: SQLRow) throws -> Team {
        Team(
            id: try row["id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID.self),
            name: try row["name"].decode(String.self),
            createdAt: try row["created_at"].decode(Date.self)
        )
    }

    static func teamMember(_ row: SQLRow) throws -> TeamMember {
        TeamMember(
            teamID: try row["team_id"].decode(UUID.self),
            principalID: try row["principal_id"].decode(UUID.self),
            role: try row["role"].decode(String.self)
        )
    }

    static func invitation(_ row: SQLRow) throws -> Invitation {
        Invitation(
            id: try row["id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID.self),
            email: try row["email"].decode(String.self),
            role: try row["role"].decode(String.self),
            teamID: try row["team_id"].decode(UUID?.self),
            teamRole: try row["team_role"].decode(String?.self),
            invitedBy: try row["invited_by"].decode(UUID.self),
            tokenDigest: try Hex.decode(try row["token_digest"].decode(String.self)).orThrow(column: "token_digest"),
            createdAt: try row["created_at"].decode(Date.self),
            expiresAt: try row["expires_at"].decode(Date.self),
            acceptedAt: try row["accepted_at"].decode(Date?.self),
            acceptedBy: try row["accepted_by"].decode(UUID?.self),
            revokedAt: try row["revoked_at"].decode(Date?.self)
        )
    }
}
