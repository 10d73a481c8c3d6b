public import Foundation
public import Identity

/// The store primitives of the guarded route families (jobs, their events, usage), written in
/// the same transactions as the change log and the audit log: a store that runs workloads
/// hands out transactions that are both (`IdentityService.writeWorkloads`). Status changes are conditional
/// on the status the caller read, so two replicas (or a cancel racing a finish) can never both
/// move one job.
public protocol WorkloadTransaction: IdentityTransaction {
    func insertJob(_ job: Job) async throws
    func job(_ id: UUID) async throws -> Job?
    /// Those of `ids` that exist (and have `status`, when given), in ascending id order.
    func jobs(ids: [UUID], status: JobStatus?) async throws -> [Job]
    /// Writes the job's status, output, error, claim and times, only if its stored status is
    /// still `expected`; false when it was not.
    func updateJob(_ job: Job, expecting expected: JobStatus) async throws -> Bool
    /// The oldest queued job, if any, claimed for `runner` (running, with a lease), in one
    /// statement that no other claimer can interleave with.
    func claimNextJob(runner: UUID, at: Date, leaseUntil: Date) async throws -> Job?
    /// Extends every claim `runner` holds, on jobs and workflow runs alike, to `until`.
    func renewLeases(runner: UUID, until: Date) async throws
    /// Running jobs whose lease ran out before `now`: their process stopped.
    func abandonedJobs(at now: Date, limit: Int) async throws -> [Job]

    /// Appends the event as the resource's next (its sequence is assigned here) and returns it.
    func appendResourceEvent(resource: UUID, type: String, data: String, at: Date) async throws -> ResourceEvent
    /// After `after`, oldest first.
    func resourceEvents(resource: UUID, after: Int64, limit: Int) async throws -> [ResourceEvent]

    func insertWorkflowDefinition(_ definition: WorkflowDefinition) async throws
    func workflowDefinition(_ id: UUID) async throws -> WorkflowDefinition?
    /// Those of `ids` that exist, in ascending id order.
    func workflowDefinitions(ids: [UUID]) async throws -> [WorkflowDefinition]
    func insertWorkflowRun(_ run: WorkflowRun) async throws
    func workflowRun(_ id: UUID) async throws -> WorkflowRun?
    /// Writes the run's status, node states, error, claim and times, only if its stored status
    /// is still `expected`.
    func updateWorkflowRun(_ run: WorkflowRun, expecting expected: WorkflowRunStatus) async throws -> Bool
    /// The oldest started (queued) run, claimed for `runner`, like `claimNextJob`.
    func claimNextWorkflowRun(runner: UUID, at: Date, leaseUntil: Date) async throws -> WorkflowRun?
    func abandonedWorkflowRuns(at now: Date, limit: Int) async throws -> [WorkflowRun]

    func insertAsset(_ asset: Asset) async throws
    func asset(_ id: UUID) async throws -> Asset?
    func deleteAsset(_ id: UUID) async throws
    /// How many assets share this content: its blob goes when the last one does.
    func countAssets(sha256: String) async throws -> Int

    func insertShare(_ share: Share) async throws
    func share(_ id: UUID) async throws -> Share?
    func share(tokenDigest: [UInt8]) async throws -> Share?
    /// The organization's shares, in ascending id order after `after`.
    func shares(organization: UUID, after: UUID?, limit: Int) async throws -> [Share]
    func revokeShare(_ id: UUID, at: Date) async throws
    func recordShareFailure(share: UUID, client: String, at: Date) async throws
    /// Takes back one failure recorded for `client` at `at`: a guess counted before its hash
    /// that turned out right.
    func forgetShareFailure(share: UUID, client: String, at: Date) async throws
    /// Wrong passwords on the share after `since` (a failure exactly a window old has left
    /// it), from `client` (or from anyone when nil).
    func countShareFailures(share: UUID, client: String?, since: Date) async throws -> Int
    /// Locks the share for `client` (`""`: for everyone) until `until`.
    func lockShare(share: UUID, client: String, until: Date) async throws
    /// The latest end of a lock on the share that holds for `client` at `now`, if any.
    func shareLock(share: UUID, client: String, at now: Date) async throws -> Date?

    func insertUsageRecord(_ record: UsageRecord) async throws
    /// Oldest first (ids are time-ordered), after `after`.
    func usageRecords(_ filter: UsageFilter, after: UUID?, limit: Int) async throws -> [UsageRecord]
    /// Sums by `grouping`, ordered by key.
    func usageTotals(_ filter: UsageFilter, by grouping: UsageGrouping) async throws -> [UsageTotal]
}
