public import Foundation
internal import NIOCore
internal import SQLiteNIO

extension SQLiteIdentityTransaction: WorkloadTransaction {
    public func insertJob(_ job: Job) async throws {
        _ = try await self.query(
            "INSERT INTO jobs (id, organization_id, team_id, created_by, provider, input, status, estimated_units, estimated_cost, "
                + "output, error, runner, lease_until, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(job.id), SQLiteData(job.organizationID), SQLiteData(job.teamID), SQLiteData(job.createdBy), .text(job.provider),
                .text(job.input), .text(job.status.rawValue), .integer(Int(job.estimatedUnits)), .integer(Int(job.estimatedCost)),
                SQLiteData(job.output), SQLiteData(job.error), SQLiteData(job.runner), SQLiteData(job.leaseUntil), SQLiteData(job.createdAt),
                SQLiteData(job.startedAt), SQLiteData(job.finishedAt),
            ]
        )
    }

    public func job(_ id: UUID) async throws -> Job? {
        try await self.query("SELECT * FROM jobs WHERE id = ?", [SQLiteData(id)]).first.map(Self.job)
    }

    public func jobs(ids: [UUID], status: JobStatus?) async throws -> [Job] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try await self.query(
            "SELECT * FROM jobs WHERE id IN (\(marks)) AND (? IS NULL OR status = ?) ORDER BY id",
            ids.map { SQLiteData($0) } + [SQLiteData(status?.rawValue), SQLiteData(status?.rawValue)]
        ).map(Self.job)
    }

    public func updateJob(_ job: Job, expecting expected: JobStatus) async throws -> Bool {
        let rows = try await self.query(
            "UPDATE jobs SET status = ?, output = ?, error = ?, runner = ?, lease_until = ?, started_at = ?, finished_at = ? "
                + "WHERE id = ? AND status = ? RETURNING id",
            [
                .text(job.status.rawValue), SQLiteData(job.output), SQLiteData(job.error), SQLiteData(job.runner), SQLiteData(job.leaseUntil),
                SQLiteData(job.startedAt), SQLiteData(job.finishedAt), SQLiteData(job.id), .text(expected.rawValue),
            ]
        )
        return !rows.isEmpty
    }

    /// SQLite has one writer at a time, so selecting then updating in this transaction is
    /// already exclusive.
    public func claimNextJob(runner: UUID, at now: Date, leaseUntil: Date) async throws -> Job? {
        try await self.query(
            "UPDATE jobs SET status = 'running', runner = ?, lease_until = ?, started_at = ? "
                + "WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1) RETURNING *",
            [SQLiteData(runner), SQLiteData(leaseUntil), SQLiteData(now)]
        ).first.map(Self.job)
    }

    public func renewLeases(runner: UUID, until: Date) async throws {
        for table in ["jobs", "workflow_runs"] {
            _ = try await self.query(
                "UPDATE \(table) SET lease_until = ? WHERE runner = ? AND status = 'running'", [SQLiteData(until), SQLiteData(runner)]
            )
        }
    }

    public func abandonedJobs(at now: Date, limit: Int) async throws -> [Job] {
        try await self.query(
            "SELECT * FROM jobs WHERE status = 'running' AND lease_until < ? ORDER BY id LIMIT ?", [SQLiteData(now), .integer(limit)]
        ).map(Self.job)
    }

    public func appendResourceEvent(resource: UUID, type: String, data: String, at date: Date) async throws -> ResourceEvent {
        let rows = try await self.query(
            "INSERT INTO resource_events (resource_id, sequence, type, data, created_at) "
                + "SELECT ?, COALESCE(MAX(sequence), 0) + 1, ?, ?, ? FROM resource_events WHERE resource_id = ? RETURNING sequence",
            [SQLiteData(resource), .text(type), .text(data), SQLiteData(date), SQLiteData(resource)]
        )
        let sequence = try rows.first.orThrow(column: "sequence").required("sequence", \.integer)
        return ResourceEvent(resourceID: resource, sequence: Int64(sequence), type: type, data: data, createdAt: date)
    }

    public func resourceEvents(resource: UUID, after: Int64, limit: Int) async throws -> [ResourceEvent] {
        try await self.query(
            "SELECT * FROM resource_events WHERE resource_id = ? AND sequence > ? ORDER BY sequence LIMIT ?",
            [SQLiteData(resource), .integer(Int(after)), .integer(limit)]
        ).map { row in
            ResourceEvent(
                resourceID: try row.required("resource_id", \.uuid), sequence: Int64(try row.required("sequence", \.integer)),
                type: try row.required("type", \.string), data: try row.required("data", \.string), createdAt: try row.required("created_at", \.date)
            )
        }
    }

    public func insertWorkflowDefinition(_ definition: WorkflowDefinition) async throws {
        _ = try await self.query(
            "INSERT INTO workflow_definitions (id, organization_id, name, nodes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(definition.id), SQLiteData(definition.organizationID), .text(definition.name), .text(definition.nodes),
                SQLiteData(definition.createdBy), SQLiteData(definition.createdAt),
            ]
        )
    }

    public func workflowDefinition(_ id: UUID) async throws -> WorkflowDefinition? {
        try await self.query("SELECT * FROM workflow_definitions WHERE id = ?", [SQLiteData(id)]).first.map(Self.workflowDefinition)
    }

    public func workflowDefinitions(ids: [UUID]) async throws -> [WorkflowDefinition] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try await self.query("SELECT * FROM workflow_definitions WHERE id IN (\(marks)) ORDER BY id", ids.map { SQLiteData($0) })
            .map(Self.workflowDefinition)
    }

    public func insertWorkflowRun(_ run: WorkflowRun) async throws {
        _ = try await self.query(
            "INSERT INTO workflow_runs (id, organization_id, team_id, definition_id, created_by, input, status, nodes, error, runner, "
                + "lease_until, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(run.id), SQLiteData(run.organizationID), SQLiteData(run.teamID), SQLiteData(run.definitionID), SQLiteData(run.createdBy),
                .text(run.input), .text(run.status.rawValue), .text(run.nodes), SQLiteData(run.error), SQLiteData(run.runner),
                SQLiteData(run.leaseUntil), SQLiteData(run.createdAt), SQLiteData(run.startedAt), SQLiteData(run.finishedAt),
            ]
        )
    }

    public func workflowRun(_ id: UUID) async throws -> WorkflowRun? {
        try await self.query("SELECT * FROM workflow_runs WHERE id = ?", [SQLiteData(id)]).first.map(Self.workflowRun)
    }

    public func updateWorkflowRun(_ run: WorkflowRun, expecting expected: WorkflowRunStatus) async throws -> Bool {
        !(try await self.query(
            "UPDATE workflow_runs SET status = ?, nodes = ?, error = ?, runner = ?, lease_until = ?, started_at = ?, finished_at = ? "
                + "WHERE id = ? AND status = ? RETURNING id",
            [
                .text(run.status.rawValue), .text(run.nodes), SQLiteData(run.error), SQLiteData(run.runner), SQLiteData(run.leaseUntil),
                SQLiteData(run.startedAt), SQLiteData(run.finishedAt), SQLiteData(run.id), .text(expected.rawValue),
            ]
        ).isEmpty)
    }

    public func claimNextWorkflowRun(runner: UUID, at now: Date, leaseUntil: Date) async throws -> WorkflowRun? {
        try await self.query(
            "UPDATE workflow_runs SET status = 'running', runner = ?, lease_until = ?, started_at = ? "
                + "WHERE id = (SELECT id FROM workflow_runs WHERE status = 'queued' ORDER BY id LIMIT 1) RETURNING *",
            [SQLiteData(runner), SQLiteData(leaseUntil), SQLiteData(now)]
        ).first.map(Self.workflowRun)
    }

    public func abandonedWorkflowRuns(at now: Date, limit: Int) async throws -> [WorkflowRun] {
        try await self.query(
            "SELECT * FROM workflow_runs WHERE status = 'running' AND lease_until < ? ORDER BY id LIMIT ?", [SQLiteData(now), .integer(limit)]
        ).map(Self.workflowRun)
    }

    static func workflowDefinition(_ row: SQLiteRow) throws -> WorkflowDefinition {
        WorkflowDefinition(
            id: try row.required("id", \.uuid), organizationID: try row.required("organization_id", \.uuid), name: try row.required("name", \.string),
            nodes: try row.required("nodes", \.string), createdBy: row.column("created_by")?.uuid, createdAt: try row.required("created_at", \.date)
        )
    }

    static func workflowRun(_ row: SQLiteRow) throws -> WorkflowRun {
        WorkflowRun(
            id: try row.required("id", \.uuid), organizationID: try row.required("organization_id", \.uuid), teamID: row.column("team_id")?.uuid,
            definitionID: try row.required("definition_id", \.uuid), createdBy: row.column("created_by")?.uuid, input: try row.required("input", \.string),
            status: try row.required("status") { $0.string.flatMap(WorkflowRunStatus.init(rawValue:)) }, nodes: try row.required("nodes", \.string),
            error: row.column("error")?.string, runner: row.column("runner")?.uuid, leaseUntil: row.column("lease_until")?.date,
            createdAt: try row.required("created_at", \.date), startedAt: row.column("started_at")?.date, finishedAt: row.column("finished_at")?.date
        )
    }

    public func insertAsset(_ asset: Asset) async throws {
        _ = try await self.query(
            "INSERT INTO assets (id, organization_id, team_id, created_by, name, content_type, size, sha256, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(asset.id), SQLiteData(asset.organizationID), SQLiteData(asset.teamID), SQLiteData(asset.createdBy), .text(asset.name),
                .text(asset.contentType), .integer(Int(asset.size)), .text(asset.sha256), SQLiteData(asset.createdAt),
            ]
        )
    }

    public func asset(_ id: UUID) async throws -> Asset? {
        try await self.query("SELECT * FROM assets WHERE id = ?", [SQLiteData(id)]).first.map { row in
            Asset(
                id: try row.required("id", \.uuid), organizationID: try row.required("organization_id", \.uuid), teamID: row.column("team_id")?.uuid,
                createdBy: row.column("created_by")?.uuid, name: try row.required("name", \.string),
                contentType: try row.required("content_type", \.string), size: Int64(try row.required("size", \.integer)),
                sha256: try row.required("sha256", \.string), createdAt: try row.required("created_at", \.date)
            )
        }
    }

    public func deleteAsset(_ id: UUID) async throws {
        _ = try await self.query("DELETE FROM assets WHERE id = ?", [SQLiteData(id)])
    }

    public func countAssets(sha256: String) async throws -> Int {
        try await self.query("SELECT COUNT(*) AS count FROM assets WHERE sha256 = ?", [.text(sha256)]).first?.column("count")?.integer ?? 0
    }

    public func insertShare(_ share: Share) async throws {
        _ = try await self.query(
            "INSERT INTO shares (id, organization_id, team_id, created_by, resource_type, resource_id, token_digest, password_hash, snapshot, "
                + "mac, revoked_at, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(share.id), SQLiteData(share.organizationID), SQLiteData(share.teamID), SQLiteData(share.createdBy), .text(share.resourceType),
                SQLiteData(share.resourceID), .blob(ByteBuffer(bytes: share.tokenDigest)), SQLiteData(share.passwordHash), .text(share.snapshot),
                .blob(ByteBuffer(bytes: share.mac)), SQLiteData(share.revokedAt), SQLiteData(share.expiresAt), SQLiteData(share.createdAt),
            ]
        )
    }

    public func share(_ id: UUID) async throws -> Share? {
        try await self.query("SELECT * FROM shares WHERE id = ?", [SQLiteData(id)]).first.map(Self.share)
    }

    public func share(tokenDigest: [UInt8]) async throws -> Share? {
        try await self.query("SELECT * FROM shares WHERE token_digest = ?", [.blob(ByteBuffer(bytes: tokenDigest))]).first.map(Self.share)
    }

    public func shares(organization: UUID, after: UUID?, limit: Int) async throws -> [Share] {
        try await self.query(
            "SELECT * FROM shares WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?", [SQLiteData(organization), Self.cursor(after), .integer(limit)]
        ).map(Self.share)
    }

    public func revokeShare(_ id: UUID, at date: Date) async throws {
        _ = try await self.query("UPDATE shares SET revoked_at = ? WHERE id = ?", [SQLiteData(date), SQLiteData(id)])
    }

    public func recordShareFailure(share: UUID, client: String, at date: Date) async throws {
        _ = try await self.query("INSERT INTO share_failures (share_id, client, at) VALUES (?, ?, ?)", [SQLiteData(share), .text(client), SQLiteData(date)])
    }

    public func forgetShareFailure(share: UUID, client: String, at date: Date) async throws {
        _ = try await self.query(
            "DELETE FROM share_failures WHERE rowid = (SELECT rowid FROM share_failures WHERE share_id = ? AND client = ? AND at = ? LIMIT 1)",
            [SQLiteData(share), .text(client), SQLiteData(date)]
        )
    }

    public func countShareFailures(share: UUID, client: String?, since: Date) async throws -> Int {
        try await self.query(
            "SELECT COUNT(*) AS count FROM share_failures WHERE share_id = ? AND at > ? AND (? IS NULL OR client = ?)",
            [SQLiteData(share), SQLiteData(since), SQLiteData(client), SQLiteData(client)]
        ).first?.column("count")?.integer ?? 0
    }

    public func lockShare(share: UUID, client: String, until: Date) async throws {
        _ = try await self.query(
            "INSERT INTO share_locks (share_id, client, until) VALUES (?, ?, ?) "
                + "ON CONFLICT (share_id, client) DO UPDATE SET until = MAX(until, excluded.until)",
            [SQLiteData(share), .text(client), SQLiteData(until)]
        )
    }

    public func shareLock(share: UUID, client: String, at now: Date) async throws -> Date? {
        try await self.query(
            "SELECT MAX(until) AS until FROM share_locks WHERE share_id = ? AND client IN (?, '') AND until > ?",
            [SQLiteData(share), .text(client), SQLiteData(now)]
        ).first?.column("until")?.date
    }

    static func share(_ row: SQLiteRow) throws -> Share {
        Share(
            id: try row.required("id", \.uuid), organizationID: try row.required("organization_id", \.uuid), teamID: row.column("team_id")?.uuid,
            createdBy: row.column("created_by")?.uuid, resourceType: try row.required("resource_type", \.string),
            resourceID: try row.required("resource_id", \.uuid),
            tokenDigest: try row.required("token_digest") { $0.blob.map { Array($0.readableBytesView) } },
            passwordHash: row.column("password_hash")?.string, snapshot: try row.required("snapshot", \.string),
            mac: try row.required("mac") { $0.blob.map { Array($0.readableBytesView) } }, revokedAt: row.column("revoked_at")?.date,
            expiresAt: row.column("expires_at")?.date, createdAt: try row.required("created_at", \.date)
        )
    }

    public func insertUsageRecord(_ record: UsageRecord) async throws {
        _ = try await self.query(
            "INSERT INTO usage_records (id, organization_id, team_id, principal_id, provider, units, cost, job_id, run_id, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                SQLiteData(record.id), SQLiteData(record.organizationID), SQLiteData(record.teamID), SQLiteData(record.principalID),
                .text(record.provider), .integer(Int(record.units)), .integer(Int(record.cost)), SQLiteData(record.jobID),
                SQLiteData(record.runID), SQLiteData(record.createdAt),
            ]
        )
    }

    public func usageRecords(_ filter: UsageFilter, after: UUID?, limit: Int) async throws -> [UsageRecord] {
        try await self.query(
            "SELECT * FROM usage_records WHERE organization_id = ? AND id > ? AND \(Self.usageConditions) ORDER BY id LIMIT ?",
            [SQLiteData(filter.organization), Self.cursor(after)] + Self.usageBinds(filter) + [.integer(limit)]
        ).map { row in
            UsageRecord(
                id: try row.required("id", \.uuid), organizationID: try row.required("organization_id", \.uuid), teamID: row.column("team_id")?.uuid,
                principalID: row.column("principal_id")?.uuid, provider: try row.required("provider", \.string),
                units: Int64(try row.required("units", \.integer)), cost: Int64(try row.required("cost", \.integer)),
                jobID: row.column("job_id")?.uuid, runID: row.column("run_id")?.uuid, createdAt: try row.required("created_at", \.date)
            )
        }
    }

    public func usageTotals(_ filter: UsageFilter, by grouping: UsageGrouping) async throws -> [UsageTotal] {
        let key =
            switch grouping {
            case .provider: "provider"
            case .team: "COALESCE(team_id, 'none')"
            case .day: "strftime('%Y-%m-%d', created_at / 1000000, 'unixepoch')"
            }
        return try await self.query(
            "SELECT \(key) AS key, SUM(units) AS units, SUM(cost) AS cost, COUNT(*) AS records FROM usage_records "
                + "WHERE organization_id = ? AND \(Self.usageConditions) GROUP BY 1 ORDER BY 1",
            [SQLiteData(filter.organization)] + Self.usageBinds(filter)
        ).map { row in
            UsageTotal(
                key: try row.required("key", \.string), units: Int64(try row.required("units", \.integer)),
                cost: Int64(try row.required("cost", \.integer)), records: Int64(try row.required("records", \.integer))
            )
        }
    }

    static let usageConditions = "(? IS NULL OR job_id = ?) AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at < ?)"

    static func usageBinds(_ filter: UsageFilter) -> [SQLiteData] {
        let job = SQLiteData(filter.job)
        let from = filter.from.map { SQLiteData($0) } ?? .null
        let to = filter.to.map { SQLiteData($0) } ?? .null
        return [job, job, from, from, to, to]
    }

    static func job(_ row: SQLiteRow) throws -> Job {
        Job(
            id: try row.required("id", \.uuid), organizationID: try row.required("organization_id", \.uuid), teamID: row.column("team_id")?.uuid,
            createdBy: row.column("created_by")?.uuid, provider: try row.required("provider", \.string), input: try row.required("input", \.string),
            status: try row.required("status") { $0.string.flatMap(JobStatus.init(rawValue:)) },
            estimatedUnits: Int64(try row.required("estimated_units", \.integer)), estimatedCost: Int64(try row.required("estimated_cost", \.integer)),
            output: row.column("output")?.string, error: row.column("error")?.string, runner: row.column("runner")?.uuid,
            leaseUntil: row.column("lease_until")?.date, createdAt: try row.required("created_at", \.date), startedAt: row.column("started_at")?.date,
            finishedAt: row.column("finished_at")?.date
        )
    }
}
