public import Authz
import Foundation
internal import Logging
internal import SQLiteNIO

/// The embedded store: one SQLite file in WAL mode, nothing to install.
///
/// An actor because it owns the one connection. Transactions suspend while SQLite works on
/// its thread pool, so the actor alone would let a second transaction interleave its
/// statements; a FIFO gate keeps the connection to one transaction at a time.
public actor SQLiteIdentityStore: IdentityStore {
    public typealias Transaction = SQLiteIdentityTransaction

    private let connection: SQLiteConnection
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Opens (creating if needed) the database file; its folder must exist.
    public static func open(path: String) async throws -> SQLiteIdentityStore {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "authz.sqlite"))
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000", "PRAGMA synchronous = NORMAL"] {
            _ = try await connection.query(pragma)
        }
        return SQLiteIdentityStore(connection: connection)
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    private func acquire() async {
        if self.busy {
            await withCheckedContinuation { self.waiting.append($0) }
        } else {
            self.busy = true
        }
    }

    /// Hands the connection straight to the next waiter, if any, so none can be overtaken.
    private func release() {
        if self.waiting.isEmpty {
            self.busy = false
        } else {
            self.waiting.removeFirst().resume()
        }
    }

    private func exclusively<Result: Sendable>(
        begin: String, _ body: @Sendable (SQLiteIdentityTransaction) async throws -> Result
    ) async throws -> Result {
        await self.acquire()
        defer { self.release() }
        _ = try await self.connection.query(begin)
        do {
            let result = try await body(SQLiteIdentityTransaction(connection: self.connection))
            _ = try await self.connection.query("COMMIT")
            return result
        } catch {
            // The error that failed the transaction is the one reported; a failed rollback too
            // leaves SQLite to roll back when the connection next begins.
            await Logger(label: "authz.sqlite").attempt("roll back a failed transaction") { _ = try await self.connection.query("ROLLBACK") }
            throw error
        }
    }

    @discardableResult public func migrate() async throws -> [Int] {
        var appliedNow: [Int] = []
        _ = try await self.exclusively(begin: "BEGIN IMMEDIATE") { transaction in
            _ = try await transaction.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        }
        for step in SQLiteMigrations.steps {
            let ran = try await self.exclusively(begin: "BEGIN IMMEDIATE") { transaction -> Bool in
                let applied = try await transaction.query("SELECT version FROM schema_migrations WHERE version = ?", [.integer(step.version)])
                guard applied.isEmpty else { return false }
                for statement in step.statements {
                    _ = try await transaction.query(statement)
                }
                _ = try await transaction.query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", [.integer(step.version), SQLiteData(Date())]
                )
                return true
            }
            if ran { appliedNow.append(step.version) }
        }
        return appliedNow
    }

    public func write<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteIdentityTransaction) async throws -> (Result, [ChangeLogEntry])
    ) async throws -> (Result, revision: UInt64) {
        try await self.exclusively(begin: "BEGIN IMMEDIATE") { transaction in
            let (result, entries) = try await body(transaction)
            guard !entries.isEmpty else {
                return (result, try await Self.latestRevision(transaction))
            }
            let json = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
            let rows = try await transaction.query(
                "INSERT INTO change_log (entries, created_at) VALUES (?, ?) RETURNING revision", [.text(json), SQLiteData(Date())]
            )
            return (result, UInt64(try rows.first?.required("revision", \.integer) ?? 0))
        }
    }

    public func read<Result: Sendable>(_ body: @escaping @Sendable (SQLiteIdentityTransaction) async throws -> Result) async throws -> Result {
        try await self.exclusively(begin: "BEGIN DEFERRED", body)
    }

    public func changes(after revision: UInt64, limit: Int) async throws -> [ChangeRecord] {
        try await self.read { transaction in
            try await transaction.query(
                "SELECT revision, entries, created_at FROM change_log WHERE revision > ? ORDER BY revision LIMIT ?",
                [.integer(Int(revision)), .integer(limit)]
            ).map { row in
                ChangeRecord(
                    revision: UInt64(try row.required("revision", \.integer)),
                    entries: try JSONDecoder().decode([ChangeLogEntry].self, from: Data(try row.required("entries", \.string).utf8)),
                    createdAt: try row.required("created_at", \.date)
                )
            }
        }
    }

    public func snapshotState() async throws -> (revision: UInt64, changes: [SnapshotChange]) {
        try await self.read { transaction in
            let revision = try await Self.latestRevision(transaction)
            var changes: [SnapshotChange] = []
            for row in try await transaction.query("SELECT id FROM principals WHERE platform_admin = 1") {
                changes.append(.platformAdminGranted(try row.required("id", \.uuid)))
            }
            for row in try await transaction.query("SELECT id FROM organizations") {
                changes.append(.organizationCreated(try row.required("id", \.uuid)))
            }
            for row in try await transaction.query("SELECT organization_id, principal_id, role FROM memberships") {
                changes.append(
                    .memberSet(
                        organization: try row.required("organization_id", \.uuid), principal: try row.required("principal_id", \.uuid),
                        role: try row.required("role", \.string)
                    )
                )
            }
            for row in try await transaction.query("SELECT id, organization_id FROM teams") {
                changes.append(.teamCreated(organization: try row.required("organization_id", \.uuid), team: try row.required("id", \.uuid)))
            }
            for row in try await transaction.query("SELECT team_id, principal_id, role FROM team_members") {
                changes.append(
                    .teamMemberSet(
                        team: try row.required("team_id", \.uuid), principal: try row.required("principal_id", \.uuid),
                        role: try row.required("role", \.string)
                    )
                )
            }
            for row in try await transaction.query("SELECT id, organization_id, created_by FROM api_keys WHERE organization_id IS NOT NULL") {
                changes.append(
                    .resourceCreated(
                        type: APIKeyRecord.resourceType, id: try row.required("id", \.uuid), organization: try row.required("organization_id", \.uuid),
                        team: nil, creator: row.column("created_by")?.uuid
                    )
                )
            }
            for row in try await transaction.query("SELECT id, organization_id, team_id, created_by FROM jobs") {
                changes.append(
                    .resourceCreated(
                        type: Job.resourceType, id: try row.required("id", \.uuid), organization: try row.required("organization_id", \.uuid),
                        team: row.column("team_id")?.uuid, creator: row.column("created_by")?.uuid
                    )
                )
            }
for row in try await transaction.query("SELECT id, organization_id, team_id, created_by FROM assets") {
                changes.append(
                    .resourceCreated(
                        type: Asset.resourceType, id: try row.required("id", \.uuid), organization: try row.required("organization_id", \.uuid),
                        team: row.column("team_id")?.uuid, creator: row.column("created_by")?.uuid
                    )
                )
            }
            for row in try await transaction.query("SELECT id, organization_id, created_by FROM workflow_definitions") {
                changes.append(
                    .resourceCreated(
                        type: WorkflowDefinition.resourceType, id: try row.required("id", \.uuid),
                        organization: try row.required("organization_id", \.uuid), team: nil, creator: row.column("created_by")?.uuid
                    )
                )
            }
            for row in try await transaction.query("SELECT id, organization_id, team_id, created_by FROM workflow_runs") {
                changes.append(
                    .resourceCreated(
                        type: WorkflowRun.resourceType, id: try row.required("id", \.uuid), organization: try row.required("organization_id", \.uuid),
                        team: row.column("team_id")?.uuid, creator: row.column("created_by")?.uuid
                    )
                )
            }
            for row in try await transaction.query("SELECT id, organization_id, team_id, created_by FROM shares") {
                changes.append(
                    .resourceCreated(
                        type: Share.resourceType, id: try row.required("id", \.uuid), organization: try row.required("organization_id", \.uuid),
                        team: row.column("team_id")?.uuid, creator: row.column("created_by")?.uuid
                    )
                )
            }
            return (revision, changes)
        }
    }

    /// This process's own writes are applied as they commit; polling covers another process
    /// writing the same file.
    public nonisolated func watchChanges(_ onChange: @escaping @Sendable () async -> Void) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(1))
            await onChange()
        }
    }

    public func close() async throws {
        try await self.connection.close()
    }

    static func latestRevision(_ transaction: SQLiteIdentityTransaction) async throws -> UInt64 {
        let rows = try await transaction.query("SELECT COALESCE(MAX(revision), 0) AS revision FROM change_log")
        return UInt64(try rows.first?.required("revision", \.integer) ?? 0)
    }
}
