public import Foundation
public import Identity
public import Workloads

extension SQLTransaction: WorkloadTransaction {
    public func insertJob(_ job: Job) async throws {
        try await self.execute(
            """
            INSERT INTO jobs (id, organization_id, team_id, created_by, provider, input, status, estimated_units, estimated_cost,
                              output, error, runner, lease_until, created_at, started_at, finished_at)
            VALUES (\(job.id), \(job.organizationID), \(job.teamID), \(job.createdBy), \(job.provider), \(job.input), \(job.status.rawValue),
                    \(job.estimatedUnits), \(job.estimatedCost), \(job.output), \(job.error), \(job.runner), \(job.leaseUntil),
                    \(job.createdAt), \(job.startedAt), \(job.finishedAt))
            """
        )
    }

    public func job(_ id: UUID) async throws -> Job? {
        try await self.rows("SELECT * FROM jobs WHERE id = \(id)").first.map(Self.job)
    }

    public func jobs(ids: [UUID], status: JobStatus?) async throws -> [Job] {
        guard !ids.isEmpty else { return [] }
        return try await self.rows(
            "SELECT * FROM jobs WHERE id IN (\(list: ids)) AND (\(status?.rawValue) IS NULL OR status = \(status?.rawValue)) ORDER BY id"
        ).map(Self.job)
    }

    public func updateJob(_ job: Job, expecting expected: JobStatus) async throws -> Bool {
        let rows = try await self.rows(
            """
            UPDATE jobs SET status = \(job.status.rawValue), output = \(job.output), error = \(job.error), runner = \(job.runner),
                            lease_until = \(job.leaseUntil), started_at = \(job.startedAt), finished_at = \(job.finishedAt)
            WHERE id = \(job.id) AND status = \(expected.rawValue) RETURNING id
            """
        )
        return !rows.isEmpty
    }

    /// `SKIP LOCKED`: replicas claiming at once take different jobs instead of queueing on
    /// one row.
    public func claimNextJob(runner: UUID, at now: Date, leaseUntil: Date) async throws -> Job? {
        try await self.rows(
            """
            UPDATE jobs SET status = 'running', runner = \(runner), lease_until = \(leaseUntil), started_at = \(now)
            WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 \(.forUpdateSkipLocked)) RETURNING *
            """
        ).first.map(Self.job)
    }

    public func renewLeases(runner: UUID, until: Date) async throws {
        try await self.execute("UPDATE jobs SET lease_until = \(until) WHERE runner = \(runner) AND status = 'running'")
        try await self.execute("UPDATE workflow_runs SET lease_until = \(until) WHERE runner = \(runner) AND status = 'running'")
    }

    public func abandonedJobs(at now: Date, limit: Int) async throws -> [Job] {
        try await self.rows("SELECT * FROM jobs WHERE status = 'running' AND lease_until < \(now) ORDER BY id LIMIT \(limit)").map(Self.job)
    }

    public func appendResourceEvent(resource: UUID, type: String, data: String, at date: Date) async throws -> ResourceEvent {
        let rows = try await self.rows(
            """
            INSERT INTO resource_events (resource_id, sequence, type, data, created_at)
            SELECT \(resource), COALESCE(MAX(sequence), 0) + 1, \(type), \(data), \(date) FROM resource_events WHERE resource_id = \(resource)
            RETURNING sequence
            """
        )
        let sequence = try rows.first.orThrow(column: "sequence")["sequence"].decode(Int64.self)
        return ResourceEvent(resourceID: resource, sequence: sequence, type: type, data: data, createdAt: date)
    }

    public func resourceEvents(resource: UUID, after: Int64, limit: Int) async throws -> [ResourceEvent] {
        try await self.rows(
            "SELECT * FROM resource_events WHERE resource_id = \(resource) AND sequence > \(after) ORDER BY sequence LIMIT \(limit)"
        ).map { row in
            ResourceEvent(
                resourceID: try row["resource_id"].decode(UUID.self),
                sequence: try row["sequence"].decode(Int64.self),
                type: try row["type"].decode(String.self),
                data: try row["data"].decode(String.self),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    public func insertWorkflowDefinition(_ definition: WorkflowDefinition) async throws {
        try await self.execute(
            """
            INSERT INTO workflow_definitions (id, organization_id, name, nodes, created_by, created_at)
            VALUES (\(definition.id), \(definition.organizationID), \(definition.name), \(definition.nodes), \(definition.createdBy), \(definition.createdAt))
            """
        )
    }

    public func workflowDefinition(_ id: UUID) async throws -> WorkflowDefinition? {
        try await self.rows("SELECT * FROM workflow_definitions WHERE id = \(id)").first.map(Self.workflowDefinition)
    }

    public func workflowDefinitions(ids: [UUID]) async throws -> [WorkflowDefinition] {
        guard !ids.isEmpty else { return [] }
        return try await self.rows("SELECT * FROM workflow_definitions WHERE id IN (\(list: ids)) ORDER BY id").map(Self.workflowDefinition)
    }

    public func insertWorkflowRun(_ run: WorkflowRun) async throws {
        try await self.execute(
            """
            INSERT INTO workflow_runs (id, organization_id, team_id, definition_id, created_by, input, status, nodes, error, runner, lease_until,
                                       created_at, started_at, finished_at)
            VALUES (\(run.id), \(run.organizationID), \(run.teamID), \(run.definitionID), \(run.createdBy), \(run.input), \(run.status.rawValue),
                    \(run.nodes), \(run.error), \(run.runner), \(run.leaseUntil), \(run.createdAt), \(run.startedAt), \(run.finishedAt))
            """
        )
    }

    public func workflowRun(_ id: UUID) async throws -> WorkflowRun? {
        try await self.rows("SELECT * FROM workflow_runs WHERE id = \(id)").first.map(Self.workflowRun)
    }

    public func updateWorkflowRun(_ run: WorkflowRun, expecting expected: WorkflowRunStatus) async throws -> Bool {
        !(try await self.rows(
            """
            UPDATE workflow_runs SET status = \(run.status.rawValue), nodes = \(run.nodes), error = \(run.error), runner = \(run.runner),
                                     lease_until = \(run.leaseUntil), started_at = \(run.startedAt), finished_at = \(run.finishedAt)
            WHERE id = \(run.id) AND status = \(expected.rawValue) RETURNING id
            """
        ).isEmpty)
    }

    public func claimNextWorkflowRun(runner: UUID, at now: Date, leaseUntil: Date) async throws -> WorkflowRun? {
        try await self.rows(
            """
            UPDATE workflow_runs SET status = 'running', runner = \(runner), lease_until = \(leaseUntil), started_at = \(now)
            WHERE id = (SELECT id FROM workflow_runs WHERE status = 'queued' ORDER BY id LIMIT 1 \(.forUpdateSkipLocked)) RETURNING *
            """
        ).first.map(Self.workflowRun)
    }

    public func abandonedWorkflowRuns(at now: Date, limit: Int) async throws -> [WorkflowRun] {
        try await self.rows("SELECT * FROM workflow_runs WHERE status = 'running' AND lease_until < \(now) ORDER BY id LIMIT \(limit)")
            .map(Self.workflowRun)
    }

    static func workflowDefinition(_ row: SQLRow) throws -> WorkflowDefinition {
        WorkflowDefinition(
            id: try row["id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID.self),
            name: try row["name"].decode(String.self),
            nodes: try row["nodes"].decode(String.self),
            createdBy: try row["created_by"].decode(UUID?.self),
            createdAt: try row["created_at"].decode(Date.self)
        )
    }

    static func workflowRun(_ row: SQLRow) throws -> WorkflowRun {
        WorkflowRun(
            id: try row["id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID.self),
            teamID: try row["team_id"].decode(UUID?.self),
            definitionID: try row["definition_id"].decode(UUID.self),
            createdBy: try row["created_by"].decode(UUID?.self),
            input: try row["input"].decode(String.self),
            status: try WorkflowRunStatus(rawValue: try row["status"].decode(String.self)).orThrow(column: "status"),
            nodes: try row["nodes"].decode(String.self),
            error: try row["error"].decode(String?.self),
            runner: try row["runner"].decode(UUID?.self),
            leaseUntil: try row["lease_until"].decode(Date?.self),
            createdAt: try row["created_at"].decode(Date.self),
            startedAt: try row["started_at"].decode(Date?.self),
            finishedAt: try row["finished_at"].decode(Date?.self)
        )
    }

    public func insertAsset(_ asset: Asset) async throws {
        try await self.execute(
            """
            INSERT INTO assets (id, organization_id, team_id, created_by, name, content_type, size, sha256, created_at)
            VALUES (\(asset.id), \(asset.organizationID), \(asset.teamID), \(asset.createdBy), \(asset.name), \(asset.contentType), \(asset.size),
                    \(asset.sha256), \(asset.createdAt))
            """
        )
    }

    public func asset(_ id: UUID) async throws -> Asset? {
        try await self.rows("SELECT * FROM assets WHERE id = \(id)").first.map { row in
            Asset(
                id: try row["id"].decode(UUID.self),
                organizationID: try row["organization_id"].decode(UUID.self),
                teamID: try row["team_id"].decode(UUID?.self),
                createdBy: try row["created_by"].decode(UUID?.self),
                name: try row["name"].decode(String.self),
                contentType: try row["content_type"].decode(String.self),
                size: try row["size"].decode(Int64.self),
                sha256: try row["sha256"].decode(String.self),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    public func deleteAsset(_ id: UUID) async throws {
        try await self.execute("DELETE FROM assets WHERE id = \(id)")
    }

    public func countAssets(sha256: String) async throws -> Int {
        Int(try await self.rows("SELECT COUNT(*) AS count FROM assets WHERE sha256 = \(sha256)").first?["count"].decode(Int64.self) ?? 0)
    }

    public func insertShare(_ share: Share) async throws {
        try await self.execute(
            """
            INSERT INTO shares (id, organization_id, team_id, created_by, resource_type, resource_id, token_digest, password_hash, snapshot, mac,
                                revoked_at, expires_at, created_at)
            VALUES (\(share.id), \(share.organizationID), \(share.teamID), \(share.createdBy), \(share.resourceType), \(share.resourceID),
                    \(share.tokenDigest), \(share.passwordHash), \(share.snapshot), \(share.mac),
                    \(share.revokedAt), \(share.expiresAt), \(share.createdAt))
            """
        )
    }

    public func share(_ id: UUID) async throws -> Share? {
        try await self.rows("SELECT * FROM shares WHERE id = \(id)").first.map(Self.share)
    }

    public func share(tokenDigest: [UInt8]) async throws -> Share? {
        try await self.rows("SELECT * FROM shares WHERE token_digest = \(tokenDigest)").first.map(Self.share)
    }

    public func shares(organization: UUID, after: UUID?, limit: Int) async throws -> [Share] {
        try await self.rows(
            "SELECT * FROM shares WHERE organization_id = \(organization) AND (\(after) IS NULL OR id > \(after)) ORDER BY id LIMIT \(limit)"
        ).map(Self.share)
    }

    public func revokeShare(_ id: UUID, at date: Date) async throws {
        try await self.execute("UPDATE shares SET revoked_at = \(date) WHERE id = \(id)")
    }

    public func recordShareFailure(share: UUID, client: String, at date: Date) async throws {
        try await self.execute("INSERT INTO share_failures (share_id, client, at) VALUES (\(share), \(client), \(date))")
    }

    public func forgetShareFailure(share: UUID, client: String, at date: Date) async throws {
        try await self.execute(
            "DELETE FROM share_failures WHERE \(.rowID) = (SELECT \(.rowID) FROM share_failures WHERE share_id = \(share) AND client = \(client) AND at = \(date) LIMIT 1)"
        )
    }

    public func countShareFailures(share: UUID, client: String?, since: Date) async throws -> Int {
        Int(
            try await self.rows(
                """
                SELECT COUNT(*) AS count FROM share_failures
                WHERE share_id = \(share) AND at > \(since) AND (\(client) IS NULL OR client = \(client))
                """
            ).first?["count"].decode(Int64.self) ?? 0
        )
    }

    public func lockShare(share: UUID, client: String, until: Date) async throws {
        try await self.execute(
            """
            INSERT INTO share_locks (share_id, client, until) VALUES (\(share), \(client), \(until))
            ON CONFLICT (share_id, client) DO UPDATE SET until = \(.greatest)(share_locks.until, excluded.until)
            """
        )
    }

    public func shareLock(share: UUID, client: String, at now: Date) async throws -> Date? {
        try await self.rows(
            "SELECT MAX(until) AS until FROM share_locks WHERE share_id = \(share) AND client IN (\(client), '') AND until > \(now)"
        ).first?["until"].decode(Date?.self)
    }

    static func share(_ row: SQLRow) throws -> Share {
        Share(
            id: try row["id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID.self),
            teamID: try row["team_id"].decode(UUID?.self),
            createdBy: try row["created_by"].decode(UUID?.self),
            resourceType: try row["resource_type"].decode(String.self),
            resourceID: try row["resource_id"].decode(UUID.self),
            tokenDigest: try row["token_digest"].decode([UInt8].self),
            passwordHash: try row["password_hash"].decode(String?.self),
            snapshot: try row["snapshot"].decode(String.self),
            mac: try row["mac"].decode([UInt8].self),
            revokedAt: try row["revoked_at"].decode(Date?.self),
            expiresAt: try row["expires_at"].decode(Date?.self),
            createdAt: try row["created_at"].decode(Date.self)
        )
    }

    public func insertUsageRecord(_ record: UsageRecord) async throws {
        try await self.execute(
            """
            INSERT INTO usage_records (id, organization_id, team_id, principal_id, provider, units, cost, job_id, run_id, created_at)
            VALUES (\(record.id), \(record.organizationID), \(record.teamID), \(record.principalID), \(record.provider), \(record.units),
                    \(record.cost), \(record.jobID), \(record.runID), \(record.createdAt))
            """
        )
    }

    public func usageRecords(_ filter: UsageFilter, after: UUID?, limit: Int) async throws -> [UsageRecord] {
        try await self.rows(
            """
            SELECT * FROM usage_records WHERE organization_id = \(filter.organization)
            AND (\(after) IS NULL OR id > \(after))
            AND (\(filter.job) IS NULL OR job_id = \(filter.job))
            AND (\(filter.from) IS NULL OR created_at >= \(filter.from))
            AND (\(filter.to) IS NULL OR created_at < \(filter.to))
            ORDER BY id LIMIT \(limit)
            """
        ).map { row in
            UsageRecord(
                id: try row["id"].decode(UUID.self),
                organizationID: try row["organization_id"].decode(UUID.self),
                teamID: try row["team_id"].decode(UUID?.self),
                principalID: try row["principal_id"].decode(UUID?.self),
                provider: try row["provider"].decode(String.self),
                units: try row["units"].decode(Int64.self),
                cost: try row["cost"].decode(Int64.self),
                jobID: try row["job_id"].decode(UUID?.self),
                runID: try row["run_id"].decode(UUID?.self),
                createdAt: try row["created_at"].decode(Date.self)
            )
        }
    }

    public func usageTotals(_ filter: UsageFilter, by grouping: UsageGrouping) async throws -> [UsageTotal] {
        var query: SQLStatement =
            switch grouping {
            case .provider: "SELECT provider AS key"
            case .team: "SELECT COALESCE(CAST(team_id AS TEXT), 'none') AS key"
            case .day: "SELECT \(.createdDay) AS key"
            }
        let rest: SQLStatement = """
             , CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(cost) AS BIGINT) AS cost, COUNT(*) AS records FROM usage_records
            WHERE organization_id = \(filter.organization)
            AND (\(filter.job) IS NULL OR job_id = \(filter.job))
            AND (\(filter.from) IS NULL OR created_at >= \(filter.from))
            AND (\(filter.to) IS NULL OR created_at < \(filter.to))
            GROUP BY 1 ORDER BY 1
            """
        query = query + rest
        return try await self.rows(query).map { row in
            UsageTotal(
                key: try row["key"].decode(String.self),
                units: try row["units"].decode(Int64.self),
                cost: try row["cost"].decode(Int64.self),
                records: try row["records"].decode(Int64.self)
            )
        }
    }

    static func job(_ row: SQLRow) throws -> Job {
        Job(
            id: try row["id"].decode(UUID.self),
            organizationID: try row["organization_id"].decode(UUID.self),
            teamID: try row["team_id"].decode(UUID?.self),
            createdBy: try row["created_by"].decode(UUID?.self),
            provider: try row["provider"].decode(String.self),
            input: try row["input"].decode(String.self),
            status: try JobStatus(rawValue: try row["status"].decode(String.self)).orThrow(column: "status"),
            estimatedUnits: try row["estimated_units"].decode(Int64.self),
            estimatedCost: try row["estimated_cost"].decode(Int64.self),
            output: try row["output"].decode(String?.self),
            error: try row["error"].decode(String?.self),
            runner: try row["runner"].decode(UUID?.self),
            leaseUntil: try row["lease_until"].decode(Date?.self),
            createdAt: try row["created_at"].decode(Date.self),
            startedAt: try row["started_at"].decode(Date?.self),
            finishedAt: try row["finished_at"].decode(Date?.self)
        )
    }
}
