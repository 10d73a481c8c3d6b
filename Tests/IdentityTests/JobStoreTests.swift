import Authz
import Foundation
import Identity
import JSON
import Testing
import Workloads

/// Jobs, their events and usage on both stores: the state machine (claim, finish, cancel,
/// only forward), the runner's pool, claims that run out, usage sums, and jobs surviving a
/// restart as resources of their organization.
@Suite struct JobStoreTests {
    @Test(arguments: Backend.enabled)
    func lifecycle(_ backend: Backend) async throws {
        try await backend.run(JobLifecycle())
    }

    @Test(arguments: Backend.enabled)
    func abandonedJobsAreFailed(_ backend: Backend) async throws {
        try await backend.run(AbandonedJobs())
    }

    @Test(arguments: Backend.enabled)
    func usageSums(_ backend: Backend) async throws {
        try await backend.run(UsageSums())
    }

    @Test(arguments: Backend.enabled)
    func theRunnerRunsJobsAndStopsCleanly(_ backend: Backend) async throws {
        try await backend.run(RunnerPool())
    }
}

/// An organization with a team, owned by `owner`.
func jobWorld<S: IdentityStore>(_ h: StoreHarness<S>) async throws -> (owner: UUID, organization: UUID, team: UUID) {
    let owner = try await h.user("owner-\(UUID())")
    let organization = try await h.service.createOrganization(name: "Acme", slug: "acme-\(UUID().uuidString.prefix(8).lowercased())", creator: owner)
        .0.id
    let team = try await h.service.createTeam(organization: organization, name: "core").0.id
    return (owner, organization, team)
}

struct JobLifecycle: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let jobs = JobService(identity: h.service)
        let (owner, organization, team) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        let (job, revision) = try await jobs.submit(
            organization: organization,
            team: team,
            provider: "echo",
            input: ["text": .string("one two three")],
            creator: owner,
            audit: audit
        )
        #expect(job.status == .queued && job.estimatedUnits == 3 && job.estimatedCost == 3 && revision > 0)
        // A job is a resource of its team and organization at once.
        let type = try #require(h.service.policy.resourceType(named: "job")).id
        let resolved = try #require(h.service.snapshot.resolve(.stored(type: type, id: job.id)))
        #expect(resolved.organization == organization && resolved.team == team && resolved.creator == owner)

        // Bad input, unknown providers and foreign teams are refused before anything is written.
        await #expect(throws: IdentityError.invalid(field: "provider", message: "unknown provider 'nope'; GET /v1/providers lists them")) {
            try await jobs.submit(organization: organization, team: nil, provider: "nope", input: [:], creator: owner, audit: audit)
        }
        await #expect(throws: IdentityError.invalid(field: "input.text", message: "is required")) {
            try await jobs.submit(organization: organization, team: nil, provider: "echo", input: [:], creator: owner, audit: audit)
        }
        let other = try await h.service.createOrganization(name: "Other", slug: "other-\(UUID().uuidString.prefix(8).lowercased())", creator: owner).0
            .id
        await #expect(throws: IdentityError.notFound("team")) {
            try await jobs.submit(organization: other, team: team, provider: "echo", input: ["text": .string("x")], creator: owner, audit: audit)
        }

        // Claimed once, by one runner; finished once.
        let runner = UUID()
        let claimed = try #require(try await jobs.claimNext(runner: runner, lease: .seconds(30)))
        #expect(claimed.id == job.id && claimed.status == .running && claimed.runner == runner && claimed.startedAt != nil)
        #expect(try await jobs.claimNext(runner: UUID(), lease: .seconds(30)) == nil)
        try await jobs.finish(claimed, with: .success(ProviderOutput(text: "one two three", units: 3)))
        try await jobs.finish(claimed, with: .failure(.failed("late")))  // no longer running: ignored
        let done = try #require(try await jobs.job(job.id))
        #expect(done.status == .succeeded && done.output == #"{"text":"one two three"}"# && done.error == nil && done.runner == nil)
        let events = try await h.service.resourceEvents(of: job.id, after: 0, limit: 10)
        #expect(events.map(\.sequence) == [1, 2, 3])
        #expect(
            events.map(\.data) == [#"{"status":"queued"}"#, #"{"status":"running"}"#, #"{"output":{"text":"one two three"},"status":"succeeded"}"#]
        )
        #expect(try await h.service.resourceEvents(of: job.id, after: 2, limit: 10).map(\.sequence) == [3])
        let usage = try await jobs.usageRecords(UsageFilter(organization: organization, job: job.id), after: nil, limit: 10)
        #expect(usage.count == 1 && usage[0].units == 3 && usage[0].cost == 3 && usage[0].principalID == owner && usage[0].teamID == team)

        // A finished job cannot be cancelled; a queued one can, and is never claimed after.
        await #expect(throws: IdentityError.conflict("the job has already succeeded")) { try await jobs.cancel(job.id, audit: audit) }
        let (queued, _) = try await jobs.submit(
            organization: organization,
            team: nil,
            provider: "echo",
            input: ["text": .string("x")],
            creator: owner,
            audit: audit
        )
        let (cancelled, _) = try await jobs.cancel(queued.id, audit: audit)
        #expect(cancelled.status == .cancelled && cancelled.finishedAt != nil)
        #expect(try await jobs.claimNext(runner: runner, lease: .seconds(30)) == nil)
        #expect(try await jobs.jobs(ids: [queued.id, job.id, UUID()], status: nil).map(\.id) == [job.id, queued.id].sorted())
        #expect(try await jobs.jobs(ids: [queued.id, job.id], status: .cancelled).map(\.id) == [queued.id])

        // Each step is in the audit log and the change log.
        let actions = try await h.service.auditRecords(organization: organization, after: 0, limit: 100).map(\.event.action)
        #expect(actions.filter { $0.hasPrefix("job.") } == ["job.created", "job.running", "job.succeeded", "job.created", "job.cancelled"])
        guard case .intact = try await h.service.verifyAudit() else {
            Issue.record("the audit chain is broken")
            return
        }

        // After a restart the jobs are still resources of their organization.
        let reopened = try await h.reopen()
        let again = try #require(reopened.service.snapshot.resolve(.stored(type: type, id: job.id)))
        #expect(again.team == team && again.creator == owner)
        await reopened.stop()
    }
}

struct AbandonedJobs: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let jobs = JobService(identity: h.service)
        let (owner, organization, _) = try await jobWorld(h)
        let (job, _) = try await jobs.submit(
            organization: organization,
            team: nil,
            provider: "sleep",
            input: ["milliseconds": .number(100)],
            creator: owner,
            audit: AuditContext(actorID: owner)
        )
        let runner = UUID()
        _ = try #require(try await jobs.claimNext(runner: runner, lease: .seconds(30)))
        // While the claim lasts (and while it is renewed) the job stays running.
        #expect(try await jobs.failAbandoned() == 0)
        h.clock.advance(hours: 20.0 / 3600)
        try await jobs.renewLeases(runner: runner, lease: .seconds(30))
        h.clock.advance(hours: 20.0 / 3600)
        #expect(try await jobs.failAbandoned() == 0)
        // Its runner stopped: once the claim runs out, the job is failed, not left running.
        h.clock.advance(hours: 31.0 / 3600)
        #expect(try await jobs.failAbandoned() == 1)
        let failed = try #require(try await jobs.job(job.id))
        #expect(failed.status == .failed && failed.error == "the process running the job stopped before it finished")
        #expect(try await jobs.failAbandoned() == 0)
    }
}

struct UsageSums: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let jobs = JobService(identity: h.service)
        let (owner, organization, team) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        _ = try await jobs.execute(
            organization: organization,
            team: team,
            provider: "echo",
            input: ["text": .string("a b c")],
            principal: owner,
            audit: audit
        )
        h.clock.advance(hours: 24)
        _ = try await jobs.execute(
            organization: organization,
            team: nil,
            provider: "echo",
            input: ["text": .string("a b")],
            principal: owner,
            audit: audit
        )
        _ = try await jobs.execute(
            organization: organization,
            team: nil,
            provider: "sleep",
            input: ["milliseconds": .number(150)],
            principal: owner,
            audit: audit
        )
        let all = UsageFilter(organization: organization)
        let byProvider = try await jobs.usageTotals(all, by: .provider)
        #expect(byProvider == [UsageTotal(key: "echo", units: 5, cost: 5, records: 2), UsageTotal(key: "sleep", units: 2, cost: 4, records: 1)])
        let byTeam = try await jobs.usageTotals(all, by: .team)
        #expect(byTeam.map(\.key).sorted() == ["none", team.uuidString.lowercased()].sorted())
        #expect(byTeam.first { $0.key == "none" }?.units == 4)
        let byDay = try await jobs.usageTotals(all, by: .day)
        #expect(byDay.map(\.key) == ["2027-01-15", "2027-01-16"] && byDay.map(\.records) == [1, 2])
        // From/to bound the records; pages follow the id (time) order.
        let later = UsageFilter(organization: organization, from: h.clock.now.addingTimeInterval(-3600))
        #expect(try await jobs.usageTotals(later, by: .provider).map(\.records) == [1, 1])
        let first = try await jobs.usageRecords(all, after: nil, limit: 2)
        let rest = try await jobs.usageRecords(all, after: first.last?.id, limit: 2)
        #expect(first.count == 2 && rest.count == 1 && first[0].units == 3 && rest[0].provider == "sleep")
        // Another organization's usage is not there.
        let other = try await h.service.createOrganization(name: "Other", slug: "other-\(UUID().uuidString.prefix(8).lowercased())", creator: owner).0
            .id
        #expect(try await jobs.usageTotals(UsageFilter(organization: other), by: .provider).isEmpty)
        // Every execution is audited.
        let executed = try await h.service.auditRecords(organization: organization, after: 0, limit: 100).filter {
            $0.event.action == "provider.executed"
        }
        #expect(executed.count == 3)
    }
}

struct RunnerPool: StoreScenario {
    func run<S: IdentityStore>(_ h: StoreHarness<S>) async throws {
        let jobs = JobService(identity: h.service)
        let (owner, organization, _) = try await jobWorld(h)
        let audit = AuditContext(actorID: owner)
        let runner = JobRunner(jobs: jobs, concurrency: 2, tick: .milliseconds(20))
        var submitted: [UUID] = []
        for _ in 0..<3 {
            submitted.append(
                try await jobs.submit(
                    organization: organization,
                    team: nil,
                    provider: "sleep",
                    input: ["milliseconds": .number(30_000)],
                    creator: owner,
                    audit: audit
                ).0.id
            )
        }
        let quick = try await jobs.submit(
            organization: organization,
            team: nil,
            provider: "echo",
            input: ["text": .string("hi")],
            creator: owner,
            audit: audit
        ).0.id
        let running = Task { await runner.run() }
        // At most two at once: the two oldest run, the others wait.
        try await waitFor { try await jobs.jobs(ids: submitted, status: .running).count == 2 }
        try await waitFor { await runner.runningCount == 2 }
        #expect(try await jobs.job(submitted[2])?.status == .queued)
        #expect(try await jobs.job(quick)?.status == .queued)
        // Cancelling a running job stops it and frees its place.
        _ = try await jobs.cancel(submitted[0], audit: audit)
        await runner.stop(submitted[0])
        try await waitFor { try await jobs.job(submitted[2])?.status == .running }
        #expect(try await jobs.job(submitted[0])?.status == .cancelled)
        // Stopping the runner records what it was running as failed: nothing is left running.
        running.cancel()
        await running.value
        for id in [submitted[1], submitted[2]] {
            let job = try #require(try await jobs.job(id))
            #expect(job.status == .failed && job.error == "the job was stopped before it finished", "\(job)")
        }
        #expect(try await jobs.job(quick)?.status == .queued)
        // A new runner (a restart) picks up what was still queued.
        let next = JobRunner(jobs: jobs, concurrency: 2, tick: .milliseconds(20))
        let again = Task { await next.run() }
        try await waitFor { try await jobs.job(quick)?.status == .succeeded }
        again.cancel()
        await again.value
    }
}

/// Polls `condition` every 20 ms for up to 10 s.
func waitFor(_ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout() }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct WaitTimeout: Error {}
