public import Foundation
public import Identity
public import JSON
internal import Logging

/// The bounded in-process worker pool: claims queued jobs and started workflow runs from the
/// store (so the queue is durable and shared by every replica), runs at most `concurrency` at
/// once, renews its claims while they run, and fails work whose runner stopped without
/// finishing it.
///
/// An actor because the set of running jobs is shared mutable state: claims, completions and
/// cancellations arriving from the change log all touch it.
public actor JobRunner {
    static var logger: Logger { Logger(label: "authz.runner") }

    public nonisolated let id: UUID
    public nonisolated let jobs: JobService
    public nonisolated let workflows: WorkflowService
    let concurrency: Int
    let lease: Duration
    let tick: Duration
    private var running: [UUID: Task<Void, Never>] = [:]
    private let wakeups: AsyncStream<Void>
    private nonisolated let wake: AsyncStream<Void>.Continuation

    /// `lease`: how long a claim lasts without renewal (renewed every `lease / 3`); `tick`: how
    /// often the queue is polled for jobs submitted on other replicas.
    public init(jobs: JobService, concurrency: Int = 4, lease: Duration = .seconds(30), tick: Duration = .seconds(1)) {
        self.id = UUID()
        self.jobs = jobs
        self.workflows = WorkflowService(identity: jobs.identity, providers: jobs.providers)
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.tick = tick
        (self.wakeups, self.wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// A job was submitted here, or one finished: look at the queue now rather than at the
    /// next tick.
    public nonisolated func nudge() {
        self.wake.yield()
    }

    /// A job or run was cancelled (here or on another replica): stop it if it runs here.
    public func stop(_ work: UUID) {
        self.running[work]?.cancel()
    }

    public var runningCount: Int { self.running.count }

    /// Runs until cancelled; then stops the jobs it runs, records them as failed, and returns.
    public func run() async {
        let ticker = Task { [wake, tick] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                wake.yield()
            }
        }
        var lastHousekeeping = ContinuousClock.now - self.lease
        await withTaskCancellationHandler {
            for await _ in self.wakeups {
                if Task.isCancelled { break }
                if ContinuousClock.now - lastHousekeeping >= self.lease / 3 {
                    lastHousekeeping = .now
                    await Self.logger.attempt("renew this runner's leases") { try await self.jobs.renewLeases(runner: self.id, lease: self.lease) }
                    await Self.logger.attempt("fail abandoned jobs") { _ = try await self.jobs.failAbandoned() }
                    await Self.logger.attempt("fail abandoned workflow runs") { _ = try await self.workflows.failAbandoned() }
                }
                await self.fill()
            }
        } onCancel: { [wake] in
            wake.finish()
        }
        ticker.cancel()
        let left = self.running.values
        for task in left { task.cancel() }
        for task in left { await task.value }
    }

    private func fill() async {
        while self.running.count < self.concurrency, !Task.isCancelled {
            // Claimed from a task of its own: a shutdown arriving mid-claim must not lose a
            // claim that committed (the job would sit `running` until its lease ran out).
            let (jobs, workflows, id, lease) = (self.jobs, self.workflows, self.id, self.lease)
            if let job = await Task(operation: {
                await Self.logger.attempt("claim a job") { try await jobs.claimNext(runner: id, lease: lease) } ?? nil
            }).value {
                self.running[job.id] = Task { await self.execute(job) }
            } else if let run = await Task(operation: {
                await Self.logger.attempt("claim a workflow run") { try await workflows.claimNext(runner: id, lease: lease) } ?? nil
            }).value {
                self.running[run.id] = Task {
                    await workflows.execute(run)
                    self.finished(run.id)
                }
            } else {
                return
            }
        }
    }

    private func finished(_ job: UUID) {
        self.running[job] = nil
        self.wake.yield()
    }

    /// Runs one claimed job and records its end. A cancelled run is recorded as failed; when
    /// the cancellation came from a user, the job is already `cancelled` and the record is a
    /// no-op. The record is written from a fresh task, so it is not cancelled with the run.
    private nonisolated func execute(_ job: Job) async {
        let outcome: Result<ProviderOutput, ProviderError>
        if let provider = self.jobs.providers.provider(named: job.provider),
            case .object(let input)? = JSONValue(text: job.input)
        {
            do {
                outcome = .success(try await provider.run(input) { _ in })
            } catch let error as ProviderError {
                outcome = .failure(error)
            } catch is CancellationError {
                outcome = .failure(.failed("the job was stopped before it finished"))
            } catch {
                outcome = .failure(.failed("the provider failed"))
            }
        } else {
            outcome = .failure(.failed("the provider '\(job.provider)' is not offered by this process"))
        }
        let jobs = self.jobs
        await Task {
            await Self.logger.attempt("record a job's end", metadata: ["job_id": "\(job.id)"]) { try await jobs.finish(job, with: outcome) }
        }.value
        await self.finished(job.id)
    }
}
