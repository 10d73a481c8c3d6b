public import Foundation
public import Identity
public import JSON

/// Jobs and direct provider executions over the identity store: every state change is one
/// transaction that writes the job, its event, its usage, its change-log entry and its audit
/// record together.
///
/// Who may submit, read or cancel is the evaluator's question, asked by the route; these are
/// the rules that hold whatever the caller's permissions: a known provider and valid input, a
/// team of the job's own organization, transitions only forward.
public struct JobService: Sendable {
    public let identity: IdentityService
    public let providers: ProviderCatalog

    public init(identity: IdentityService, providers: ProviderCatalog = .builtIn) {
        self.identity = identity
        self.providers = providers
    }

    // MARK: Submitting and reading

    /// A queued job with its estimate; the runner picks it up.
    public func submit(
        organization: UUID,
        team: UUID?,
        provider name: String,
        input: [String: JSONValue],
        creator: UUID,
        audit: AuditContext
    ) async throws(IdentityError) -> (Job, revision: UInt64) {
        let provider = try self.provider(named: name)
        let units = try Self.estimate(provider, input)
        let now = self.identity.now()
        let job = Job(
            id: UUID.timeOrdered(at: now),
            organizationID: organization,
            teamID: team,
            createdBy: creator,
            provider: name,
            input: JSONValue.object(input).text,
            status: .queued,
            estimatedUnits: units,
            estimatedCost: provider.descriptor.cost(of: units),
            createdAt: now
        )
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            try await Self.requireTeam(team, of: organization, transaction)
            try await transaction.insertJob(job)
            _ = try await transaction.appendResourceEvent(resource: job.id, type: "status", data: Self.statusData(job), at: now)
            return (job, [.resourceCreated(organization: organization, type: Job.resourceType, id: job.id, team: team, creator: creator)])
        }
    }

    public func job(_ id: UUID) async throws(IdentityError) -> Job? {
        try await self.identity.readWorkloads { try await $0.job(id) }
    }

    public func jobs(ids: [UUID], status: JobStatus?) async throws(IdentityError) -> [Job] {
        try await self.identity.readWorkloads { try await $0.jobs(ids: ids, status: status) }
    }

    public func usageRecords(_ filter: UsageFilter, after: UUID?, limit: Int) async throws(IdentityError) -> [UsageRecord] {
        try await self.identity.readWorkloads { try await $0.usageRecords(filter, after: after, limit: limit) }
    }

    public func usageTotals(_ filter: UsageFilter, by grouping: UsageGrouping) async throws(IdentityError) -> [UsageTotal] {
        try await self.identity.readWorkloads { try await $0.usageTotals(filter, by: grouping) }
    }

    /// A queued job never starts; a running one is stopped by the replica running it, which
    /// learns of it from the change log. A finished job cannot be cancelled (409).
    public func cancel(_ id: UUID, audit: AuditContext) async throws(IdentityError) -> (Job, revision: UInt64) {
        let now = self.identity.now()
        return try await self.identity.writeWorkloads(audit: audit) { transaction in
            guard var job = try await transaction.job(id) else { throw IdentityError.notFound("job") }
            let previous = job.status
            guard !previous.isFinal else { throw IdentityError.conflict("the job has already \(previous.rawValue)") }
            job.status = .cancelled
            job.finishedAt = now
            job.leaseUntil = nil
            guard try await transaction.updateJob(job, expecting: previous) else {
                throw IdentityError.conflict("the job changed while it was being cancelled; try again")
            }
            _ = try await transaction.appendResourceEvent(resource: id, type: "status", data: Self.statusData(job), at: now)
            return (job, [.jobChanged(organization: job.organizationID, job: id, status: job.status.rawValue)])
        }
    }

    // MARK: Running (what the runner calls)

    /// Claims the oldest queued job for `runner`, if there is one.
    public func claimNext(runner: UUID, lease: Duration) async throws(IdentityError) -> Job? {
        let now = self.identity.now()
        let until = now.addingTimeInterval(lease.seconds)
        return try await self.identity.writeWorkloads(audit: AuditContext(actorID: nil)) { transaction in
            guard let job = try await transaction.claimNextJob(runner: runner, at: now, leaseUntil: until) else { return (nil, []) }
            _ = try await transaction.appendResourceEvent(resource: job.id, type: "status", data: Self.statusData(job), at: now)
            return (job, [.jobChanged(organization: job.organizationID, job: job.id, status: job.status.rawValue)])
        }.0
    }

    /// Records how a claimed job ended: succeeded with its output and usage, or failed with
    /// its error. Nothing happens when the job is no longer running (it was cancelled, or its
    /// lease ran out and it was failed elsewhere).
    public func finish(_ claimed: Job, with outcome: Result<ProviderOutput, ProviderError>) async throws(IdentityError) {
        let now = self.identity.now()
        let price = self.providers.provider(named: claimed.provider)?.descriptor
        _ = try await self.identity.writeWorkloads(audit: AuditContext(actorID: nil)) { transaction in
            var job = claimed
            job.finishedAt = now
            job.runner = nil
            job.leaseUntil = nil
            switch outcome {
            case .success(let output):
                job.status = .succeeded
                job.output = output.json.text
            case .failure(.failed(let message)), .failure(.invalidInput(_, let message)):
                job.status = .failed
                job.error = message
            }
            guard try await transaction.updateJob(job, expecting: .running) else { return ((), []) }
            if case .success(let output) = outcome {
                try await transaction.insertUsageRecord(
                    UsageRecord(
                        id: UUID.timeOrdered(at: now),
                        organizationID: job.organizationID,
                        teamID: job.teamID,
                        principalID: job.createdBy,
                        provider: job.provider,
                        units: output.units,
                        cost: price?.cost(of: output.units) ?? 0,
                        jobID: job.id,
                        createdAt: now
                    )
                )
            }
            _ = try await transaction.appendResourceEvent(resource: job.id, type: "status", data: Self.statusData(job), at: now)
            return ((), [.jobChanged(organization: job.organizationID, job: job.id, status: job.status.rawValue)])
        }
    }

    /// Extends the runner's claims on its jobs and workflow runs by `lease`.
    public func renewLeases(runner: UUID, lease: Duration) async throws(IdentityError) {
        let until = self.identity.now().addingTimeInterval(lease.seconds)
        _ = try await self.identity.writeWorkloads { transaction in
            try await transaction.renewLeases(runner: runner, until: until)
            return ((), [])
        }
    }

    /// Fails the jobs whose runner stopped without finishing them (its lease ran out): how a
    /// crashed process's jobs are never left running. Returns how many.
    @discardableResult
    public func failAbandoned() async throws(IdentityError) -> Int {
        let now = self.identity.now()
        var failed = 0
        while true {
            let abandoned = try await self.identity.readWorkloads { try await $0.abandonedJobs(at: now, limit: 100) }
            guard !abandoned.isEmpty else { return failed }
            for job in abandoned {
                try await self.finish(job, with: .failure(.failed("the process running the job stopped before it finished")))
                failed += 1
            }
        }
    }

    // MARK: Direct execution

    /// Runs the provider now, on behalf of `principal`, and writes its usage (and audit record)
    /// when it succeeds. Tokens go to `emit` as they come.
    public func execute(
        organization: UUID,
        team: UUID?,
        provider name: String,
        input: [String: JSONValue],
        principal: UUID,
        audit: AuditContext,
        emit: (String) async throws -> Void = { _ in }
    ) async throws -> (ProviderOutput, UsageRecord) {
        let provider = try self.provider(named: name)
        _ = try Self.estimate(provider, input)
        try await self.identity.readWorkloads { transaction in try await Self.requireTeam(team, of: organization, transaction) }
        let output = try await provider.run(input, emit: emit)
        let now = self.identity.now()
        let record = UsageRecord(
            id: UUID.timeOrdered(at: now),
            organizationID: organization,
            teamID: team,
            principalID: principal,
            provider: name,
            units: output.units,
            cost: provider.descriptor.cost(of: output.units),
            createdAt: now
        )
        _ = try await self.identity.writeWorkloads { transaction in
            try await transaction.insertUsageRecord(record)
            try await IdentityService.appendAudit(
                AuditEvent(
                    organizationID: organization,
                    context: audit,
                    action: "provider.executed",
                    targetType: "provider",
                    targetID: nil,
                    data: ["provider": name, "units": String(output.units), "usage_record": record.id.uuidString.lowercased()],
                    createdAt: now
                ),
                transaction
            )
            return ((), [])
        }
        return (output, record)
    }

    public func estimate(provider name: String, input: [String: JSONValue]) throws(IdentityError) -> (units: Int64, cost: Int64) {
        let provider = try self.provider(named: name)
        let units = try Self.estimate(provider, input)
        return (units, provider.descriptor.cost(of: units))
    }

    // MARK: Rules

    func provider(named name: String) throws(IdentityError) -> any Provider {
        guard let provider = self.providers.provider(named: name) else {
            throw .invalid(field: "provider", message: "unknown provider '\(name)'; GET /v1/providers lists them")
        }
        return provider
    }

    static func estimate(_ provider: any Provider, _ input: [String: JSONValue]) throws(IdentityError) -> Int64 {
        do {
            return try provider.estimate(input)
        } catch {
            switch error {
            case .invalidInput(let field, let message): throw IdentityError.invalid(field: field, message: message)
            case .failed(let message): throw IdentityError.invalid(field: "input", message: message)
            }
        }
    }

    /// A job's team must belong to the job's organization.
    static func requireTeam(_ team: UUID?, of organization: UUID, _ transaction: any WorkloadTransaction) async throws {
        guard let team else { return }
        guard try await transaction.team(team)?.organizationID == organization else { throw IdentityError.notFound("team") }
    }

    /// The data of a `status` event: the status, and the output or error once there is one.
    static func statusData(_ job: Job) -> String {
        var data: [String: JSONValue] = ["status": .string(job.status.rawValue)]
        if let output = job.output { data["output"] = JSONValue(text: output) ?? .null }
        if let error = job.error { data["error"] = .string(error) }
        return JSONValue.object(data).text
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (seconds, attoseconds) = self.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
