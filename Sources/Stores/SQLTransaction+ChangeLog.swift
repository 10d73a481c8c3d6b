public import Authz
import Foundation
internal import Identity
internal import Workloads

/// The change log, the snapshot's query and the schema steps: what both stores do around
/// the transactions they run.
extension SQLTransaction {
    /// Locks that serialise whole operations across replicas (PostgreSQL advisory locks,
    /// held to the end of the transaction); SQLite's writer already excludes every other.
    enum Lock: Int64 {
        case writes = 0x6175_7468_7a01
        case migrations = 0x6175_7468_7a02
    }

    static let notificationChannel = "authz_changes"

    func lock(_ lock: Lock) async throws {
        guard self.dialect == .postgres else { return }
        try await self.execute("SELECT pg_advisory_xact_lock(\(lock.rawValue))")
    }

    func latestRevision() async throws -> UInt64 {
        let rows = try await self.rows("SELECT COALESCE(MAX(revision), 0) AS revision FROM change_log")
        return UInt64(try rows.first?["revision"].decode(Int64.self) ?? 0)
    }

    /// Runs a write: under the writers' lock, so revisions are assigned and committed in the
    /// same order (a replica that has applied revision N never later sees N − 1 appear), the
    /// body's entries become the next revision, announced to other replicas when it commits.
    func write<Result: Sendable>(
        _ body: @Sendable (any IdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws -> (Result, revision: UInt64) {
        try await self.lock(.writes)
        let (result, entries) = try await body(self)
        let latest = try await self.latestRevision()
        guard !entries.isEmpty else { return (result, latest) }
        let revision = latest + 1
        let json = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
        try await self.execute("INSERT INTO change_log (revision, entries, created_at) VALUES (\(Int64(revision)), \(json), \(Date()))")
        if self.dialect == .postgres {
            try await self.execute("SELECT pg_notify(\(Self.notificationChannel), \(String(revision)))")
        }
        return (result, revision)
    }

    func changes(after revision: UInt64, limit: Int) async throws -> [ChangeRecord] {
        try await self.rows(
            "SELECT revision, entries, created_at FROM change_log WHERE revision > \(Int64(revision)) ORDER BY revision LIMIT \(limit)"
        ).map { row in
            ChangeRecord(
                revision: UInt64(try row["revision"].decode(Int64.self)),
                entries: try JSONDecoder().decode([ChangeLogEntry].self, from: Data(try row["entries"].decode(String.self).utf8)),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    /// The tables of resources the evaluator knows (their organization, team and creator),
    /// beside the identity tables read first: the one list of what feeds the snapshot.
    static let snapshotResources: [(table: String, type: String, hasTeam: Bool, filter: String)] = [
        ("api_keys", APIKeyRecord.resourceType, false, "WHERE organization_id IS NOT NULL"),
        ("jobs", Job.resourceType, true, ""),
        ("assets", Asset.resourceType, true, ""),
        ("workflow_definitions", WorkflowDefinition.resourceType, false, ""),
        ("workflow_runs", WorkflowRun.resourceType, true, ""),
        ("shares", Share.resourceType, true, ""),
    ]

    /// The snapshot of everything the store holds, at the revision this (read) transaction
    /// sees. Rows are applied as they are read (`RowSink`), so loading holds a few thousand
    /// rows at a time besides the snapshot being built.
    func loadSnapshot(policy: Policy) async throws -> AuthzSnapshot {
        let revision = try await self.latestRevision()
        // Rows are written only with a revision; none means nothing to load.
        guard revision > 0 else { return AuthzSnapshot(policy: policy) }
        let sink = RowSink(SnapshotLoader(policy: policy), reader: self.connection.readingLoop) { loader, change in
            try loader.apply(change)
        }
        func load(_ statement: SQLStatement, _ change: @escaping @Sendable (SQLRow) throws -> SnapshotChange) async throws {
            try await self.connection.forEachRow(statement, into: sink, change)
        }
        try await load("SELECT id FROM principals WHERE platform_admin = \(true)") { .platformAdminGranted(try $0.columns(UUID.self)) }
        try await load("SELECT id FROM organizations") { .organizationCreated(try $0.columns(UUID.self)) }
        try await load("SELECT organization_id, principal_id, role FROM memberships") { row in
            let (organization, principal, role) = try row.columns(UUID.self, UUID.self, String.self)
            return .memberSet(organization: organization, principal: principal, role: role)
        }
        try await load("SELECT id, organization_id FROM teams") { row in
            let (team, organization) = try row.columns(UUID.self, UUID.self)
            return .teamCreated(organization: organization, team: team)
        }
        try await load("SELECT team_id, principal_id, role FROM team_members") { row in
            let (team, principal, role) = try row.columns(UUID.self, UUID.self, String.self)
            return .teamMemberSet(team: team, principal: principal, role: role)
        }
        for resource in Self.snapshotResources {
            let team = resource.hasTeam ? "team_id" : "NULL AS team_id"
            let query = SQLStatement(stringLiteral: "SELECT id, organization_id, \(team), created_by FROM \(resource.table) \(resource.filter)")
            try await load(query) { row in
                let (id, organization, team, creator) = try row.columns(UUID.self, UUID.self, UUID?.self, UUID?.self)
                return .resourceCreated(type: resource.type, id: id, organization: organization, team: team, creator: creator)
            }
        }
        return try await sink.take(replacingWith: SnapshotLoader(policy: policy)).build(revision: revision)
    }

    func createMigrationTable() async throws {
        try await self.lock(.migrations)
        try await self.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at \(.time) NOT NULL)")
    }

    /// Applies one schema step unless it already was; whether it ran.
    func apply(_ step: (version: Int, statements: [SQLStatement])) async throws -> Bool {
        try await self.lock(.migrations)
        guard try await self.rows("SELECT version FROM schema_migrations WHERE version = \(step.version)").isEmpty else { return false }
        for statement in step.statements {
            try await self.execute(statement)
        }
        try await self.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (\(step.version), \(Date()))")
        return true
    }
}
